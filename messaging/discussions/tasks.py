"""Celery tasks: take ids, call messaging.discussions.emails. Queued after commit."""

from __future__ import annotations

from celery import shared_task

from messaging.discussions import emails


@shared_task
def deliver_at_once(member_id: int) -> int:
    return emails.deliver_at_once(member_id=member_id)


@shared_task
def send_pending_emails() -> int:
    """Every minute: e-mails whatever the 10-minute batching window held back."""
    return sum(
        emails.deliver_at_once(member_id=member_id)
        for member_id in emails.members_with_pending_at_once()
    )


@shared_task
def send_due_digests() -> int:
    """Every quarter hour: daily and weekly digests that have reached 7:00 local time."""
    return emails.send_due_digests()
