"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def _in_one_line(record: logging.LogRecord, what: str) -> None:
    """The record's message, then what is unreachable and the error's first line; no
    traceback."""
    error = record.exc_info[1] if record.exc_info else None
    said = record.getMessage()
    record.msg = "%s: %s (%s: %s)"
    record.args = (said, what, type(error).__name__, (str(error).splitlines() or [""])[0])
    record.exc_info = None
    record.exc_text = None


class DatabaseAwayInOneLine(logging.Filter):
    """While PostgreSQL is unreachable every page fails the same way and answers the 503 page
    (config.health.server_error): one line a request says so, instead of a traceback each (a
    page worker wrote ~31,000 lines in a 10-second outage). Other errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OperationalError | InterfaceError):
            _in_one_line(record, "database unreachable")
        return True


class CacheAwayInOneLine(logging.Filter):
    """While Redis is unreachable, pages still render (the directory counts without the shared
    counts, the chat badge and the bell are left out) and each place that did without it says so
    in a warning: one line each, not a traceback each, several a page. Set on the handler, so it
    covers every logger; other errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, RedisConnectionError | RedisTimeoutError):
            _in_one_line(record, "cache unreachable")
        return True
