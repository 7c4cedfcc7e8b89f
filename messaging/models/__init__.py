"""Messaging tables: live chat now, discussions alongside it later (one module per idea)."""

from messaging.models.chat import (
    ChatPreference,
    Message,
    MessageQuerySet,
    Room,
    RoomKind,
    RoomMember,
    RoomQuerySet,
)

__all__ = [
    "ChatPreference",
    "Message",
    "MessageQuerySet",
    "Room",
    "RoomKind",
    "RoomMember",
    "RoomQuerySet",
]
