"""The per-member chat send rate: at most N sends in any window of S seconds (10 in 10 by
default), for all of a member's tabs and server processes together.

A true sliding window: Redis keeps, per member, a sorted set of the times of their accepted
sends, and one Lua script drops those older than the window, counts the rest and adds the new
send only if it fits, atomically and on Redis's clock (so processes on machines whose clocks
differ agree). A fixed window let 2N sends through in little more than one window, across its
boundary.

Without Redis (the embedded default), or while it is unreachable, the window is counted in
PostgreSQL from the member's stored messages instead, so the limit still holds across
processes; it then counts messages stored, not attempts, and two sends racing from two tabs may
both pass at the limit. Refusing every send while Redis restarts would lose chat for a limit
that matters less than the conversation; allowing every send would let one client flood a room.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

import redis
from django.conf import settings
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from messaging.models import Message

log = logging.getLogger(__name__)

# KEYS[1]: the member's sorted set. ARGV: window (ms), limit. Returns -1 when the send is
# counted, else the milliseconds until the oldest send in the window leaves it.
SLIDING_WINDOW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  local n = redis.call('INCR', KEYS[1] .. ':n')
  redis.call('PEXPIRE', KEYS[1] .. ':n', window)
  redis.call('ZADD', KEYS[1], now_ms, now[1] .. now[2] .. ':' .. n)
  redis.call('PEXPIRE', KEYS[1], window)
  return -1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now_ms)
"""


class RateLimited(Exception):
    """The member has used up the window; ``retry_after`` seconds until a send fits again."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def send_rate() -> tuple[int, int]:
    """(messages, seconds); settings may raise it for load tests, never for people."""
    return getattr(settings, "CHAT_SEND_RATE", (10, 10))


@functools.cache
def _redis(url: str) -> redis.Redis:
    # Short timeouts and no retries: a send waits for the limit, and Redis being away must not
    # stall it (redis-py otherwise retries a failed connection three times, with back-off).
    return redis.Redis.from_url(
        url, socket_connect_timeout=0.5, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )


def _in_redis(url: str, member_id: int, limit: int, window: int) -> float | None:
    key = f"convene:chat:sends:{member_id}"
    wait_ms = _redis(url).eval(SLIDING_WINDOW, 1, key, window * 1000, limit)
    return None if wait_ms < 0 else round(wait_ms / 1000, 2)


def _in_postgres(member_id: int, limit: int, window: int) -> float | None:
    """The same window over the member's stored messages (one indexed query)."""
    now = timezone.now()
    recent = list(
        Message.objects.filter(sender_id=member_id, created_at__gt=now - timedelta(seconds=window))
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    leaves = recent[-1] + timedelta(seconds=window)
    return max(0.01, round((leaves - now).total_seconds(), 2))


def check_send(member_id: int) -> None:
    """Count one send by the member, or raise RateLimited (nothing counted then)."""
    limit, window = send_rate()
    url = getattr(settings, "REDIS_URL", None)
    retry_after = None
    if url:
        try:
            retry_after = _in_redis(url, member_id, limit, window)
        except redis.RedisError as error:
            # The one line a send logs while Redis is away (see docs/chat-protocol.md).
            log.warning(
                "Redis unavailable (%s): send rate counted in PostgreSQL, "
                "the room is told at its next re-check",
                type(error).__name__,
            )
            retry_after = _in_postgres(member_id, limit, window)
    else:
        retry_after = _in_postgres(member_id, limit, window)
    if retry_after is not None:
        raise RateLimited(retry_after)
