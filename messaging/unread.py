"""The header badge's total of unread chat messages, remembered per user in the cache.

A page header must cost no query (as the notifications bell): pages read the cache only, and
static/js/chat-badge.js asks the count view when the cache had nothing. The services forget a
user's total whenever it may have changed: a message stored or deleted in one of their rooms,
their read marker moved, a room joined. A change in a room is one write (the room's change
stamp), not one per member: each remembered total carries the stamps of the rooms it counted.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from messaging.models import Message, RoomMember
from messaging.services.broadcast import REDIS_AWAY
from network.models import Member

TTL = 10 * 60
log = logging.getLogger(__name__)


def badge_key(user_id: int) -> str:
    return f"chat:unread:{user_id}"


def room_stamp_key(room_id: int) -> str:
    return f"chat:room-changed:{room_id}"


def _stamps(room_ids: Iterable[int]) -> dict[int, int | None]:
    keys = {room_stamp_key(room): room for room in room_ids}
    found = cache.get_many(list(keys))
    return {room: found.get(key) for key, room in keys.items()}


def cached_total(user_id: int) -> int | None:
    """The remembered total, or None if nothing is remembered or one of the member's rooms
    changed since; two cache reads, never a query."""
    try:
        entry = cache.get(badge_key(user_id))
        if not isinstance(entry, dict):
            return None
        if _stamps(entry["stamps"]) != entry["stamps"]:
            return None
        return entry["total"]
    except Exception:  # Redis down: the badge shows nothing and the script asks
        log.warning("chat badge cache unavailable", exc_info=True)
        return None


def total_for(member: Member) -> int:
    """The member's unread total: from the cache, else one aggregate query (then remembered
    with the change stamps of their rooms, read before counting so that a change made while
    counting makes the entry stale rather than wrong)."""
    total = cached_total(member.user_id)
    if total is not None:
        return total
    rooms = RoomMember.objects.filter(member=member).values_list("room_id", flat=True)
    try:
        stamps = _stamps(rooms)
    except Exception:
        log.warning("chat badge cache unavailable", exc_info=True)
        stamps = None
    total = Message.objects.unread_for(member).count()
    if stamps is not None:
        try:
            cache.set(badge_key(member.user_id), {"total": total, "stamps": stamps}, TTL)
        except Exception:
            log.warning("chat badge cache unavailable", exc_info=True)
    return total


def forget(user_ids: Iterable[int]) -> None:
    keys = [badge_key(user_id) for user_id in user_ids]
    try:
        cache.delete_many(keys)
    except Exception:  # stale for at most TTL rather than a failed write
        log.warning("chat badge cache unavailable", exc_info=True)


def room_changed_after_commit(room_id: int) -> None:
    """Make every remembered total that counts this room stale, once the change is committed
    (sooner, and a page loaded in between could remember the old total again): one cache
    write, however many people are in the room. The stamp outlives any total that read it."""

    def run() -> None:
        try:
            cache.set(room_stamp_key(room_id), secrets.token_hex(8), 2 * TTL)
        except REDIS_AWAY:  # a send already said, in one line, that Redis is away
            log.debug("chat badge cache unavailable", exc_info=True)
        except Exception as error:
            log.warning("chat badge cache unavailable (%s)", type(error).__name__)

    transaction.on_commit(run)
