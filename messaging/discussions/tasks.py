"""Celery tasks: take ids, call messaging.discussions.emails. Queued after commit.

Each is safe to run twice (acks_late re-delivers a task whose worker died): the notifications
a mail covers are locked and marked e-mailed in the transaction that sends it.
"""

from __future__ import annotations

from celery import shared_task

from messaging.discussions import emails
from network.mail import RETRY_DEFERRED


@shared_task(**RETRY_DEFERRED)
def deliver_at_once(member_id: int) -> int:
    return emails.deliver_at_once(member_id=member_id)


@shared_task
def send_pending_emails() -> int:
    """Every minute: e-mails whatever the 10-minute batching window held back."""
    return emails.deliver_pending()


@shared_task
def send_due_digests() -> int:
    """Every quarter hour: daily and weekly digests that have reached 7:00 local time."""
    return emails.send_due_digests()
