"""Waking consumers through the channel layer, best-effort and only after commit."""

from __future__ import annotations

import asyncio
import logging

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

# What an unreachable Redis raises (redis-py's own errors, or a refused socket).
REDIS_AWAY = (redis.RedisError, ConnectionError)

# A wake-up that takes longer than this is abandoned: clients catch up from the database.
SEND_TIMEOUT = 5.0


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


async def group_send_quietly(group: str, event: dict) -> None:
    """Send to a group; a layer that is down or slow is logged, never raised to the caller."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(layer.group_send(group, event), SEND_TIMEOUT)
    except REDIS_AWAY:
        # The database stays the truth; the send that woke the room has already said, in one
        # line, that Redis is away (messaging.throttle).
        log.debug("chat wake-up to %s not delivered", group, exc_info=True)
    except Exception as error:  # slow, or something unexpected: one line, not a traceback
        log.warning("chat wake-up to %s not delivered (%s)", group, type(error).__name__)


def send_after_commit(group: str, event: dict) -> None:
    """Queue a wake-up for when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: async_to_sync(group_send_quietly)(group, event))


def session_group(session_key: str) -> str:
    """Every socket opened with one login session, so that signing out closes them all."""
    return f"chat.session.{session_key or 'none'}"
