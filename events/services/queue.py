"""Tasks are queued after the transaction commits, never before."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def _after_commit(task, *args: Any) -> None:
    transaction.on_commit(lambda: task.delay(*args))
