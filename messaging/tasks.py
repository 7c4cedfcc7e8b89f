"""Celery tasks of the messaging app itself (chat); discussions keep theirs in their own app."""

from __future__ import annotations

from celery import shared_task


@shared_task
def summarise_for_console() -> int:
    """Beat runs this every few minutes: new posts and messages into the console's tables."""
    from messaging.summaries import summarise

    return summarise()
