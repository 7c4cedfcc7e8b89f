"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError


class DatabaseAwayInOneLine(logging.Filter):
    """While PostgreSQL is unreachable every page fails the same way and answers the 503 page
    (config.health.server_error): one line a request says so, instead of a traceback each (a
    page worker wrote ~31,000 lines in a 10-second outage). Other errors keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, OperationalError | InterfaceError):
            said = record.getMessage()
            record.msg = "%s: database unreachable (%s: %s)"
            record.args = (said, type(error).__name__, (str(error).splitlines() or [""])[0])
            record.exc_info = None
            record.exc_text = None
        return True
