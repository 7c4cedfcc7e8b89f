import csv
import json

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from network import audit, directory, services
from network.models import (
    Agency,
    AuditEntry,
    Cohort,
    CohortMembership,
    Invitation,
    Member,
    Position,
    Program,
    RosterImport,
    Tag,
    User,
)
from network.rosters import csv_safe


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "is_active", "is_staff", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        """Granting or removing administration, or (de)activating an account, is audited; a
        deactivated account leaves the directory's counts too."""
        super().save_model(request, obj, form, change)
        for field in ("is_staff", "is_superuser", "is_active"):
            if field in form.changed_data:
                audit.record(
                    "account_access_changed", request=request, target=obj.email,
                    field=field, new=getattr(obj, field),
                )  # fmt: skip
        directory.members_changed(
            member_ids=Member.objects.filter(user=obj).values_list("pk", flat=True)
        )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "parent", "sector"]
    list_filter = ["sector"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent"]


class PositionInline(admin.TabularInline):
    model = Position
    fk_name = "member"
    autocomplete_fields = ["agency"]
    raw_id_fields = ["succeeds"]
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "member_type", "agency", "visibility", "deactivated_at"]
    list_filter = ["member_type", "visibility", "user__is_active", "time_zone"]
    search_fields = ["name", "user__email", "headline", "organisation"]
    autocomplete_fields = ["agency", "user", "expertise", "challenges"]
    inlines = [PositionInline]

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # As the profile form does: the search text, and the directory's counts.
        services.index_members(member_ids=[form.instance.pk])

    def delete_model(self, request, obj) -> None:
        directory.members_changed(member_ids=[obj.pk])
        super().delete_model(request, obj)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["member", "title", "agency", "organisation", "starts_on", "ends_on"]
    list_filter = ["agency__sector"]
    search_fields = ["member__name", "title", "organisation"]
    autocomplete_fields = ["member", "agency"]
    raw_id_fields = ["succeeds"]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "cohort", "status", "total_rows", "invited", "created_at"]
    list_filter = ["status"]
    search_fields = ["filename", "cohort__name"]
    readonly_fields = ["content", "errors"]


class MembershipInline(admin.TabularInline):
    model = CohortMembership
    autocomplete_fields = ["member"]
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "starts_on", "ends_on"]
    list_filter = ["program"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "cohort", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "cohort", "accepted_at", "revoked_at"]
    search_fields = ["email", "name"]
    raw_id_fields = ["invited_by", "agency"]
    readonly_fields = ["token"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for administrators. Filter it by action,
    day, person or address; export what the filter shows as CSV (itself audited)."""

    list_display = ["at", "action", "actor_email", "target", "ip_address"]
    list_filter = ["action", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor_email", "target", "action", "ip_address"]
    date_hierarchy = "at"
    actions = ["export_csv"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Export the selected entries as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="convene-audit-log.csv"'
        writer = csv.writer(response)
        writer.writerow(["at", "action", "actor", "target", "ip_address", "data"])
        entries = queryset.order_by("at")
        for entry in entries.iterator():
            row = [entry.at.isoformat(), entry.action, entry.actor_email, entry.target]
            row += [entry.ip_address or "", json.dumps(entry.data, sort_keys=True)]
            writer.writerow([csv_safe(cell) for cell in row])
        audit.record("audit_log_exported", request=request, rows=entries.count())
        return response
