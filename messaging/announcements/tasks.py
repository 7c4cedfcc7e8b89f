"""The beat task that sends scheduled announcements; it looks for due work in the database."""

from __future__ import annotations

from celery import shared_task

from messaging.announcements import services
from messaging.discussions.emails import send_to_member
from messaging.discussions.models import MailKind
from network.mail import RETRY_DEFERRED
from network.services.nudges import mark_nudge_sent, nudge_to_send


@shared_task
def send_due_announcements() -> int:
    return services.send_due_announcements()


@shared_task(**RETRY_DEFERRED)
def send_nudge(nudge_id: int) -> bool:
    """E-mails one nudge once, if the member takes nudges. The send is recorded under its key
    in the same transaction, so a task run again after it went sends nothing; a relay that
    refuses for now leaves it unsent, to be retried (nothing is claimed before it goes)."""
    nudge = nudge_to_send(nudge_id=nudge_id)
    if nudge is None:
        return False
    sent = send_to_member(
        member=nudge.member,
        kind=MailKind.NUDGES,
        subject=nudge.subject,
        template="message",
        context={"heading": nudge.subject, "paragraphs": nudge.body.split("\n\n")},
        once_key=f"nudge:{nudge.pk}",
    )
    mark_nudge_sent(nudge_id=nudge_id)
    return sent


@shared_task(**RETRY_DEFERRED)
def email_announcement(announcement_id: int, member_ids: list[int]) -> int:
    """The announcement by e-mail to each member who takes announcements, once each."""
    return services.email_announcement(announcement_id=announcement_id, member_ids=member_ids)
