"""The per-member send rate, shared by every server process through the cache (Redis)."""

from __future__ import annotations

from django.conf import settings

from network import ratelimit


def send_rate() -> tuple[int, int]:
    """(messages, seconds); settings may raise it for load tests, never for people."""
    return getattr(settings, "CHAT_SEND_RATE", (10, 10))


def retry_after_for(member_id: int) -> float | None:
    """Count one send; None if allowed, else how many seconds until the member may send again.
    When the cache is unreachable the send is allowed: losing the limit for a moment is better
    than losing chat while Redis restarts."""
    limit, window = send_rate()
    return ratelimit.retry_after(scope="chat_send", user_id=member_id, limit=limit, window=window)
