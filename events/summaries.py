"""What events add to the console's summary tables (network.summaries): each cohort event's
answers and attendance, active days from RSVPs, and ties between people who attended the same
event. An off-the-record event adds to the tallies only: who was there is never paired."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q
from django.utils import timezone

from events.models import RSVP, Event, EventStatus, RSVPStatus
from network import summaries
from network.models import EventTally, RecordsMode

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Attendance is marked after the event: events this recent are counted again on every run.
RECOUNT_WINDOW = timedelta(days=90)
# An RSVP is written with the time it was given, which can commit a little later.
RSVP_OVERLAP = timedelta(minutes=10)


def summarise_rsvps(*, now: datetime | None = None) -> int:
    """Active days from answers given since the cursor's time; returns how many read."""
    now = now or timezone.now()
    with summaries.advancing("rsvps") as cursor:
        since = (cursor.moment - RSVP_OVERLAP) if cursor.moment else None
        rows = RSVP.objects.all() if since is None else RSVP.objects.filter(responded_at__gt=since)
        pairs = list(rows.values_list("member_id", "responded_at"))
        summaries.record_days((member, summaries.day_of(at)) for member, at in pairs)
        summaries.move(cursor, moment=now)
    return len(pairs)


def _count(status: str) -> Count:
    return Count("rsvps", filter=Q(rsvps__status=status))


def summarise_tallies(*, now: datetime | None = None) -> int:
    """Recounts recent and never-counted cohort events; new attendance makes ties."""
    now = now or timezone.now()
    counted = EventTally.objects.values("event_id")
    events = (
        Event.objects.filter(cohort__isnull=False)
        .filter(Q(starts_at__gte=now - RECOUNT_WINDOW) | ~Q(pk__in=counted))
        .annotate(
            going=_count(RSVPStatus.GOING),
            waitlisted=_count(RSVPStatus.WAITLISTED),
            declined=_count(RSVPStatus.DECLINED),
            attended=Count("rsvps", filter=Q(rsvps__attended=True)),
        )
    )
    with summaries.advancing("tallies"):
        rows = list(events)
        before = dict(
            EventTally.objects.filter(event_id__in=[e.pk for e in rows]).values_list(
                "event_id", "attended"
            )
        )
        summaries.put_tallies([_tally(event) for event in rows])
        changed = [
            e.pk for e in rows
            if e.attended != before.get(e.pk, 0) and e.records_mode != RecordsMode.OFF_THE_RECORD
        ]  # fmt: skip
        _tie_attendees(changed)
    return len(rows)


class Counted(TypedDict):
    going: int
    waitlisted: int
    declined: int
    attended: int


def _tally(event: WithAnnotations[Event, Counted]) -> EventTally:
    assert event.cohort_id is not None  # only cohort events are counted
    return EventTally(
        event_id=event.pk,
        cohort_id=event.cohort_id,
        title=event.title,
        starts_at=event.starts_at,
        cancelled=event.status == EventStatus.CANCELLED,
        going=event.going,
        waitlisted=event.waitlisted,
        declined=event.declined,
        attended=event.attended,
    )


def _tie_attendees(event_ids: list[int]) -> None:
    by_event: dict[int, list[int]] = defaultdict(list)
    starts: dict[int, datetime] = {}
    for event, member, at in RSVP.objects.filter(event_id__in=event_ids, attended=True).values_list(
        "event_id", "member_id", "event__starts_at"
    ):
        by_event[event].append(member)
        starts[event] = at
    summaries.record_ties(
        (a, b, starts[event])
        for event, members in by_event.items()
        for a, b in combinations(sorted(members), 2)
    )


def summarise(*, now: datetime | None = None) -> int:
    return summarise_rsvps(now=now) + summarise_tallies(now=now)
