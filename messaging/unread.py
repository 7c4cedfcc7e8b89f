"""The header badge's total of unread chat messages, remembered per user in the cache.

A page header must cost no query (as the notifications bell): pages read the cache only, and
static/js/chat-badge.js asks the count view when the cache had nothing. The services forget a
user's total whenever it may have changed: a message stored or deleted in one of their rooms,
their read marker moved, a room joined.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from messaging.models import Message, RoomMember
from network.models import Member

TTL = 10 * 60
log = logging.getLogger(__name__)


def badge_key(user_id: int) -> str:
    return f"chat:unread:{user_id}"


def cached_total(user_id: int) -> int | None:
    """The remembered total, or None; never a query."""
    try:
        return cache.get(badge_key(user_id))
    except Exception:  # Redis down: the badge shows nothing and the script asks
        log.warning("chat badge cache unavailable", exc_info=True)
        return None


def total_for(member: Member) -> int:
    """The member's unread total: from the cache, else one aggregate query (then remembered)."""
    total = cached_total(member.user_id)
    if total is None:
        total = Message.objects.unread_for(member).count()
        try:
            cache.set(badge_key(member.user_id), total, TTL)
        except Exception:
            log.warning("chat badge cache unavailable", exc_info=True)
    return total


def forget(user_ids: Iterable[int]) -> None:
    keys = [badge_key(user_id) for user_id in user_ids]
    try:
        cache.delete_many(keys)
    except Exception:  # stale for at most TTL rather than a failed write
        log.warning("chat badge cache unavailable", exc_info=True)


def forget_room_after_commit(room_id: int, *, but: Member) -> None:
    """Forget the totals of everyone else in the room once the change is committed (sooner,
    and a page loaded in between could remember the old total again)."""

    def run() -> None:
        users = RoomMember.objects.filter(room_id=room_id).exclude(member=but)
        forget(users.values_list("member__user_id", flat=True))

    transaction.on_commit(run)
