from django.contrib import admin

from events.models import RSVP, CalendarFeed, Event, Poll, PollSlot


class RSVPInline(admin.TabularInline):
    model = RSVP
    extra = 0
    raw_id_fields = ["member"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "starts_at", "time_zone", "status", "capacity"]
    list_filter = ["status", "cohort"]
    search_fields = ["title"]
    inlines = [RSVPInline]
    readonly_fields = ["uid", "sequence"]


class PollSlotInline(admin.TabularInline):
    model = PollSlot
    extra = 0


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "status", "created_at"]
    list_filter = ["status"]
    inlines = [PollSlotInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["member", "created_at", "revoked_at"]
    exclude = ["token"]
    readonly_fields = ["member", "created_at"]
