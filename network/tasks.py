"""Celery tasks of the network app: they take ids, fetch, and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from network import services


@shared_task
def send_invitation(invitation_id: int) -> bool:
    """E-mail the signed link; skipped (False) when the invitation was revoked or used meanwhile."""
    invitation = services.mark_invitation_sent(invitation_id=invitation_id)
    if invitation is None:
        return False
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("network:invitation", args=[invitation.signed_token]),
        "SITE_NAME": settings.SITE_NAME,
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] You are invited to join {invitation.cohort.name}",
        message=render_to_string("network/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


@shared_task
def run_roster_import(import_id: int) -> None:
    services.run_roster_import(import_id=import_id)


@shared_task
def summarise_for_console() -> int:
    """Beat runs this every few minutes: sign-ins into the console's active days."""
    from network.summaries import summarise_sign_ins

    total = 0
    while read := summarise_sign_ins():
        total += read
    return total


@shared_task
def send_nudge(nudge_id: int) -> bool:
    """E-mails one nudge, once."""
    from network.services.nudges import mark_nudge_sent

    nudge = mark_nudge_sent(nudge_id=nudge_id)
    if nudge is None:
        return False
    send_mail(
        subject=f"[{settings.SITE_NAME}] {nudge.subject}",
        message=nudge.body,
        from_email=None,
        recipient_list=[nudge.member.user.email],
    )
    return True


@shared_task
def refresh_console() -> int:
    """Beat runs this every few minutes, after the summaries: each console's snapshot."""
    from network.summaries import refresh_snapshots

    return refresh_snapshots()
