from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from messaging.discussions.notifications import bell_key


def bell(request: HttpRequest) -> dict:
    """The header bell's unread count, from the cache only: a page header must not cost a
    query. When the cache has no count the bell shows none and discussions-bell.js asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    try:
        count = cache.get(bell_key(user.pk))
    except Exception:  # Redis down: show the bell without a count rather than fail the page
        count = None
    return {"discussions_bell_count": count}
