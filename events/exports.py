"""CSV exports for an event's managers: one event's attendees, and attendance across a
cohort's events. Written with Python's csv module; every cell goes through the roster export's
formula guard (network.rosters.csv_safe), and each export is audited."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from events import access
from events.models import RSVP, Event
from network import audit
from network.access import get_managed_cohort_for
from network.rosters import csv_safe


def csv_response(filename: str, rows: list[list[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return response


def attendee_rows(event: Event) -> list[list[object]]:
    rows: list[list[object]] = [
        ["name", "email", "agency or organisation", "rsvp", "walk-in", "checked in at", "attended"]
    ]
    for rsvp in event.rsvps.select_related("member__user", "member__agency").order_by(
        "member__name"
    ):
        member = rsvp.member
        rows.append([
            member.name, member.user.email, member.organisation_name, rsvp.get_status_display(),
            "yes" if rsvp.walk_in else "",
            rsvp.checked_in_at.isoformat(timespec="minutes") if rsvp.checked_in_at else "",
            {True: "yes", False: "no", None: ""}[rsvp.attended],
        ])  # fmt: skip
    return rows


@login_required
def attendees_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    access.check_can_manage(request.user, event.cohort)
    rows = attendee_rows(event)
    audit.record("attendees_exported", request=request, target=event, rows=len(rows) - 1)
    return csv_response(f"event-{event.pk}-attendees.csv", rows)


def attendance_rows(events: list[Event]) -> list[list[object]]:
    """One row per member who answered any of the events, one column per event: going,
    attended, absent, waitlisted or declined; then how many they attended."""
    answers: dict[int, dict[int, RSVP]] = {}
    names: dict[int, tuple[str, str]] = {}
    for rsvp in RSVP.objects.filter(event__in=events).select_related("member__agency"):
        answers.setdefault(rsvp.member_id, {})[rsvp.event_id] = rsvp
        names[rsvp.member_id] = (rsvp.member.name, rsvp.member.organisation_name)
    header: list[object] = ["name", "agency or organisation"]
    header += [f"{e.starts_at:%Y-%m-%d} {e.title}" for e in events] + ["attended"]
    rows: list[list[object]] = [header]
    for member_id, (name, organisation) in sorted(names.items(), key=lambda item: item[1]):
        mine = answers[member_id]
        cells = [_answer(mine.get(e.pk)) for e in events]
        rows.append([name, organisation, *cells, cells.count("attended")])
    return rows


def _answer(rsvp: RSVP | None) -> str:
    if rsvp is None:
        return ""
    if rsvp.attended is True:
        return "attended"
    if rsvp.attended is False:
        return "absent"
    return rsvp.status


@login_required
def cohort_attendance_export(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_managed_cohort_for(request.user, slug)
    events = list(Event.objects.filter(cohort=cohort).order_by("starts_at", "pk"))
    rows = attendance_rows(events)
    audit.record("attendance_exported", request=request, target=cohort, rows=len(rows) - 1)
    return csv_response(f"{cohort.slug}-attendance.csv", rows)
