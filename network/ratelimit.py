"""Budgets per account for endpoints called as people type (name autocomplete). The chat's
send rate has its own sliding window (messaging/throttle.py).

A fixed window counted in the shared cache (Redis), so every server process sees one budget.
"""

from __future__ import annotations

import logging
import math
import time

from django.core.cache import cache

log = logging.getLogger(__name__)


def retry_after(*, scope: str, user_id: int, limit: int, window: int) -> float | None:
    """Count one request; None if it is within the budget, else seconds until the next window.

    When the cache is unreachable the request is allowed: a moment without the limit is better
    than pickers that stop working while Redis restarts.
    """
    now = time.time()
    bucket = math.floor(now / window)
    key = f"network:rate:{scope}:{user_id}:{bucket}"
    try:
        cache.add(key, 0, timeout=window + 1)
        count = cache.incr(key)
    except Exception:  # Cache down: allow, see above.
        log.warning("rate limit unavailable for %s", scope, exc_info=True)
        return None
    if count <= limit:
        return None
    return round((bucket + 1) * window - now, 2)
