"""Event times for the viewer, and blocks other pages can place ({% load events %})."""

from __future__ import annotations

from django import template
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from events.models import RSVP, Event, EventStatus, RSVPStatus
from network.access import member_for
from network.timezones import describe, describe_moment

register = template.Library()


def viewer_zone(context) -> str | None:
    request = context.get("request")
    member = member_for(request.user) if request is not None else None
    return member.time_zone if member else None


@register.simple_tag(takes_context=True)
def event_when(context, event: Event) -> str:
    """The event's time for the viewer, as ``timezones.describe`` words it."""
    return describe(event.starts_at, event.ends_at, event.time_zone, viewer_zone(context))


@register.simple_tag(takes_context=True)
def moment_when(context, moment, planner_zone: str) -> str:
    return describe_moment(moment, planner_zone, viewer_zone(context))


@register.inclusion_tag("events/_next_events.html", takes_context=True)
def next_events(context, limit: int = 3) -> dict:
    """The signed-in member's next events they are going to (for the home page)."""
    request = context["request"]
    member = member_for(request.user)
    events = []
    if member:
        events = list(
            Event.objects.filter(
                rsvps__member=member,
                rsvps__status=RSVPStatus.GOING,
                status=EventStatus.SCHEDULED,
                ends_at__gte=timezone.now(),
            ).order_by("starts_at")[:limit]
        )
    return {"events": events, "request": request}


@register.inclusion_tag("events/_attended.html", takes_context=True)
def events_attended(context, member) -> dict:
    """Events a member attended (for their profile); only events the viewer may see."""
    request = context["request"]
    rows = (
        RSVP.objects.filter(member=member, attended=True)
        .filter(event__in=Event.objects.visible_to(request.user))
        .select_related("event")
        .order_by("-event__starts_at")
    )
    return {"rsvps": list(rows), "member": member, "request": request}


@register.inclusion_tag("events/_cohort_attendance.html", takes_context=True)
def cohort_attendance(context, cohort) -> dict:
    """Attendance per past event of the cohort (for its managers' cohort page)."""
    events = (
        Event.objects.filter(cohort=cohort, status=EventStatus.SCHEDULED)
        .past()
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__status=RSVPStatus.GOING)),
            came=Count("rsvps", filter=Q(rsvps__attended=True)),
            marked=Count("rsvps", filter=Q(rsvps__attended__isnull=False)),
        )
    )
    return {"events": list(events), "cohort": cohort, "request": context["request"]}


@register.simple_tag(takes_context=True)
def cohort_events(context, cohort, limit: int = 3) -> dict:
    """The cohort's upcoming events for its page: how many, how many the viewer has not
    answered yet, and the next few with the viewer's answer. Two queries."""
    request = context["request"]
    member = member_for(request.user)
    upcoming = (
        Event.objects.visible_to(request.user)
        .filter(cohort_id=cohort.pk, status=EventStatus.SCHEDULED)
        .upcoming()
    )
    answered = RSVP.objects.filter(event=OuterRef("pk"), member=member)
    counts = upcoming.aggregate(
        count=Count("pk"), unanswered=Count("pk", filter=~Q(Exists(answered)))
    )
    if member is None:  # an administrator without a profile answers nothing
        counts["unanswered"] = 0
    return {**counts, "next": list(upcoming.for_listing(member)[:limit])}
