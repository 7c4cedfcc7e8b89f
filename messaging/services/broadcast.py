"""Waking consumers through the channel layer, best-effort and only after commit."""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

log = logging.getLogger(__name__)

# A wake-up that takes longer than this is abandoned: clients catch up from the database.
SEND_TIMEOUT = 5.0


def user_group(user_id: int) -> str:
    return f"chat.user.{user_id}"


def room_group(room_id: int) -> str:
    return f"chat.room.{room_id}"


async def group_send_quietly(group: str, event: dict) -> None:
    """Send to a group; a layer that is down or slow is logged, never raised to the caller."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await asyncio.wait_for(layer.group_send(group, event), SEND_TIMEOUT)
    except Exception:  # Redis down or slow: the database stays the truth.
        log.warning("chat wake-up to %s not delivered", group, exc_info=True)


def send_after_commit(group: str, event: dict) -> None:
    """Queue a wake-up for when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: async_to_sync(group_send_quietly)(group, event))


def session_group(session_key: str) -> str:
    """Every socket opened with one login session, so that signing out closes them all."""
    return f"chat.session.{session_key or 'none'}"
