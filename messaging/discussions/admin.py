from django.contrib import admin

from messaging.discussions.models import Board, Report


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    """Administrators create network-wide boards here; cohort boards are made with use."""

    list_display = ["name", "cohort", "records_mode", "position"]
    list_filter = ["records_mode"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    raw_id_fields = ["cohort"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "created_at", "resolved_at", "resolution"]
    raw_id_fields = ["post", "reporter", "resolved_by"]
