"""Celery tasks of the network app: they take ids, fetch, and call a service."""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from network import services
from network.mail import RETRY_DEFERRED, absolute, compose
from network.models import Invitation


@shared_task(**RETRY_DEFERRED)
def send_invitation(invitation_id: int, requested_at: str | None = None) -> bool:
    """E-mail the signed link; skipped (False) when the invitation was revoked or used meanwhile,
    or when this request was already sent (a task re-delivered after its worker died)."""
    asked = datetime.fromisoformat(requested_at) if requested_at else None
    with transaction.atomic():
        invitation = services.mark_invitation_sent(invitation_id=invitation_id, requested_at=asked)
        if invitation is None:
            return False
        context = {
            "invitation": invitation,
            "link": absolute(reverse("network:invitation", args=[invitation.signed_token])),
            "SITE_NAME": settings.SITE_NAME,
        }
        compose(
            to=invitation.email,
            subject=f"You are invited to join {invitation.cohort.name}",
            template="invitation",
            context=context,
        ).send()
    return True


@shared_task
def send_unsent_invitations(older_than_seconds: int = 120) -> int:
    """Beat runs this every few minutes: an invitation whose e-mail task never reached the
    broker (the process that made it died between its commit and queueing the task) is sent
    now. Each is queued with its creation time, so one already sent is skipped."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    unsent = Invitation.objects.usable().filter(sent_at__isnull=True, created_at__lte=cutoff)
    rows = list(unsent.values_list("pk", "created_at"))
    for pk, created_at in rows:
        send_invitation.delay(pk, created_at.isoformat())
    return len(rows)


@shared_task
def run_roster_import(import_id: int) -> None:
    services.run_roster_import(import_id=import_id)


@shared_task(**RETRY_DEFERRED)
def tell_inviter_of_other_address(invitation_id: int) -> None:
    """The manager who invited someone learns that another address accepted the invitation."""
    invitation = (
        Invitation.objects.select_related("cohort", "invited_by__user", "accepted_by")
        .filter(pk=invitation_id, accepted_at__isnull=False, invited_by__isnull=False)
        .first()
    )
    if invitation is None or invitation.invited_by is None:
        return
    link = absolute(reverse("network:cohort_manage", args=[invitation.cohort.slug]))
    compose(
        to=invitation.invited_by.user.email,
        subject=f"Your invitation to {invitation.email} was accepted by another address",
        template="invitation_other_address",
        context={"invitation": invitation, "link": link},
    ).send()


@shared_task
def summarise_for_console() -> int:
    """Beat runs this every few minutes: sign-ins into the console's active days."""
    from network.summaries import summarise_sign_ins

    total = 0
    while read := summarise_sign_ins():
        total += read
    return total


@shared_task
def refresh_console() -> int:
    """Beat runs this every few minutes, after the summaries: each console's snapshot."""
    from network.summaries import refresh_snapshots

    return refresh_snapshots()
