"""Reminders before events: which kinds are due, sent once each."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from events import discussion, tasks
from events.models import (
    RSVP,
    EventStatus,
    Reminder,
    RSVPStatus,
)


def reminder_offsets() -> list[timedelta]:
    hours = getattr(settings, "EVENT_REMINDER_HOURS", (24, 1))
    return sorted((timedelta(hours=h) for h in hours), reverse=True)


def reminder_kind(offset: timedelta) -> str:
    return f"{int(offset.total_seconds() // 60)}m"


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Sends each due reminder once, to people going, however many times this runs at once.

    A reminder kind is due from its offset before the start until the next, shorter one is due
    (someone who RSVPs an hour before gets the one-hour reminder, not a day-before one). The
    unique (rsvp, kind) row is inserted in the same transaction that sends the mail: a second
    worker's insert waits on the first's and then fails, so it sends nothing; a failed send
    rolls the row back and the next tick tries again. A kind that falls due less than its
    offset after the previous reminder is recorded but not sent: nobody gets "in 1 hour" five
    minutes after a reminder that already said so.
    """
    now = now or timezone.now()
    offsets = reminder_offsets()
    sent = 0
    for index, offset in enumerate(offsets):
        window_end = offsets[index + 1] if index + 1 < len(offsets) else timedelta(0)
        kind = reminder_kind(offset)
        due = (
            RSVP.objects.filter(
                status=RSVPStatus.GOING,
                event__status=EventStatus.SCHEDULED,
                event__starts_at__lte=now + offset,
                event__starts_at__gt=now + window_end,
                member__user__is_active=True,
            )
            .exclude(reminders__kind=kind)
            .values_list("pk", flat=True)
        )
        for rsvp_id in list(due):
            sent += _send_one_reminder(rsvp_id=rsvp_id, kind=kind, offset=offset, now=now)
    return sent


def _send_one_reminder(*, rsvp_id: int, kind: str, offset: timedelta, now: datetime) -> int:
    try:
        with transaction.atomic():
            Reminder.objects.create(rsvp_id=rsvp_id, kind=kind, sent_at=now)
            recent = Reminder.objects.filter(rsvp_id=rsvp_id, sent_at__gt=now - offset)
            if recent.exclude(kind=kind).exists():
                return 0
            rsvp = tasks.deliver_reminder(rsvp_id, now)
            discussion.notify(
                [rsvp.member],
                kind=discussion.REMINDER,
                summary=f"Reminder: {rsvp.event.title} "
                + tasks.how_soon(rsvp.event.starts_at, rsvp.member.time_zone, now),
                event=rsvp.event,
            )
    except IntegrityError:
        return 0
    return 1
