"""The beat task that sends scheduled announcements; it looks for due work in the database."""

from __future__ import annotations

from celery import shared_task

from messaging.announcements import services


@shared_task
def send_due_announcements() -> int:
    return services.send_due_announcements()
