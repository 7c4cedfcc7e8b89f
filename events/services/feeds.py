"""Personal calendar feeds: the secret address and resetting it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import (
    CalendarFeed,
)
from network import audit
from network.models import Member


def get_or_create_feed(*, member: Member) -> CalendarFeed:
    """The member's active feed, made on first use."""
    feed = CalendarFeed.objects.active().filter(member=member).first()
    if feed:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(member=member)
    except IntegrityError:  # a second tab made it at the same moment
        return CalendarFeed.objects.active().get(member=member)


@transaction.atomic
def reset_feed(*, member: Member) -> CalendarFeed:
    """Revokes the current feed URL (it answers 404 from now on) and issues a new one."""
    CalendarFeed.objects.active().filter(member=member).update(revoked_at=timezone.now())
    audit.record("calendar_feed_reset", actor=member.user, target=member)
    return CalendarFeed.objects.create(member=member)
