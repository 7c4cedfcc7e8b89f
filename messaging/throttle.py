"""The per-member send rate, shared by every server process through the cache (Redis)."""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger(__name__)


def send_rate() -> tuple[int, int]:
    """(messages, seconds); settings may raise it for load tests, never for people."""
    return getattr(settings, "CHAT_SEND_RATE", (10, 10))


def retry_after_for(member_id: int) -> float | None:
    """Count one send; None if allowed, else how many seconds until the member may send again.

    A fixed window per member. When the cache is unreachable the send is allowed: losing the
    limit for a moment is better than losing chat while Redis restarts.
    """
    limit, window = send_rate()
    now = time.time()
    bucket = math.floor(now / window)
    key = f"chat:rate:{member_id}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except Exception:  # Cache down: allow, see above.
        log.warning("chat rate limit unavailable", exc_info=True)
        return None
    if count <= limit:
        return None
    return round((bucket + 1) * window - now, 2)
