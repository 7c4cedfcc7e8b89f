"""Running the chat socket's database calls from the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async as _database_sync_to_async


def database_sync_to_async(function: Callable[..., Any]) -> Any:
    """Run a database call in the shared thread pool rather than one thread per process.

    Channels' default funnels every consumer's queries through a single thread, which made
    the database's latency the whole process's limit. Each call here is self-contained (its
    own transaction, its own connection per pool thread), so it needs no thread affinity.
    """
    return _database_sync_to_async(function, thread_sensitive=False)
