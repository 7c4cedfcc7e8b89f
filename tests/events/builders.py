"""Small builders for events tests (the shared factories module belongs to every app)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from events.models import Event, Poll, PollSlot


def make_event(cohort=None, *, creator=None, start: datetime | None = None, **fields: Any) -> Event:
    start = start or timezone.now() + timedelta(days=7)
    values: dict[str, Any] = {
        "title": "Roundtable on permitting reform",
        "description": "Bring **one** question.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "time_zone": "America/New_York",
        "location_kind": "online",
        "online_url": "https://meet.example.gov/room-42",
        "created_by": creator,
    }
    values.update(fields)
    return Event.objects.create(cohort=cohort, **values)


def make_poll(cohort, *, creator=None, starts: list[datetime] | None = None, **fields) -> Poll:
    values: dict[str, Any] = {"title": "Spring dinner", "time_zone": "America/New_York"}
    values.update(fields)
    poll = Poll.objects.create(cohort=cohort, created_by=creator, **values)
    base = timezone.now() + timedelta(days=10)
    for start in starts or [base, base + timedelta(days=1)]:
        PollSlot.objects.create(poll=poll, starts_at=start, ends_at=start + timedelta(hours=1))
    return poll


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
