"""Closing chat sockets when their login session ends (connected in MessagingConfig.ready)."""

from __future__ import annotations

from asgiref.sync import async_to_sync

from messaging.services.broadcast import group_send_quietly, session_group


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """Sockets of the session close at once; the periodic re-check is the safety net."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        async_to_sync(group_send_quietly)(
            session_group(session_key), {"type": "chat.session_ended"}
        )
