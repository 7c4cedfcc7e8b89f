"""Demo events for `make run`: a roundtable with a waitlist, a network-wide call, a past
session with attendance, and an open poll. Run after network's seed_demo; safe to run again."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from events import discussion
from events.models import RSVP, Event, Poll, PollSlot, RSVPStatus
from network.models import Cohort, Member, Role
from network.timezones import to_utc

MANAGER_EMAIL = "manager@demo.convene.test"
MEMBER_EMAIL = "member@demo.convene.test"


def _at(days: int, hour: int, zone_name: str) -> datetime:
    day = timezone.now().astimezone(timezone.get_default_timezone()).date() + timedelta(days=days)
    return to_utc(datetime.combine(day, time(hour)), zone_name)


def _event(cohort: Cohort | None, creator: Member, title: str, **fields) -> Event:
    event, made = Event.objects.get_or_create(
        cohort=cohort, title=title, defaults={"created_by": creator, **fields}
    )
    if made:  # as events.services.create_event does: an event comes with its thread
        discussion.open_thread(event)
    return event


@transaction.atomic
def seed() -> dict[str, int]:
    manager = Member.objects.filter(user__email=MANAGER_EMAIL).first()
    member = Member.objects.filter(user__email=MEMBER_EMAIL).first()
    if manager is None or member is None:
        return {"events": 0, "polls": 0}
    cohort = Cohort.objects.filter(
        memberships__member=manager, memberships__role=Role.MANAGER
    ).first()
    people = list(Member.objects.filter(memberships__cohort=cohort).exclude(pk=manager.pk)[:14])
    seats = 12
    roundtable = _event(
        cohort,
        manager,
        "Roundtable: hiring in a hurry",
        description="Bring **one** hiring problem you are facing this quarter.",
        starts_at=_at(6, 15, "America/New_York"),
        ends_at=_at(6, 16, "America/New_York") + timedelta(minutes=30),
        time_zone="America/New_York",
        address="1800 F Street NW, Washington, DC 20405",
        capacity=seats,
    )
    now = timezone.now()
    for index, person in enumerate(p for p in people if p != member):
        going = index < seats
        RSVP.objects.get_or_create(
            event=roundtable,
            member=person,
            defaults={
                "status": RSVPStatus.GOING if going else RSVPStatus.WAITLISTED,
                "waitlisted_at": None if going else now + timedelta(seconds=index),
            },
        )
    _event(
        None,
        manager,
        "Network call: the first 100 days",
        starts_at=_at(12, 9, "Pacific/Honolulu"),
        ends_at=_at(12, 10, "Pacific/Honolulu"),
        time_zone="Pacific/Honolulu",
        location_kind="online",
        online_url="https://meet.example.gov/first-100-days",
    )
    past = _event(
        cohort,
        manager,
        "Opening dinner",
        starts_at=_at(-20, 18, "America/Chicago"),
        ends_at=_at(-20, 21, "America/Chicago"),
        time_zone="America/Chicago",
        address="Union Station, Chicago",
    )
    for index, person in enumerate([member, *people[:8]]):
        RSVP.objects.get_or_create(
            event=past, member=person, defaults={"status": "going", "attended": index % 4 != 3}
        )
    poll, made = Poll.objects.get_or_create(
        cohort=cohort,
        title="Spring retreat: which weekend?",
        defaults={"time_zone": "America/Denver", "created_by": manager, "duration_minutes": 120},
    )
    if made:
        for days in (30, 37, 44):
            start = _at(days, 10, "America/Denver")
            PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=2))
    return {"events": Event.objects.count(), "polls": Poll.objects.count()}
