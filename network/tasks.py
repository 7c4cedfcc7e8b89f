"""Celery tasks of the network app: they take ids, fetch, and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from network import services
from network.models import Invitation


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
def tell_inviter_of_other_address(invitation_id: int) -> None:
    """The manager who invited someone learns that another address accepted the invitation."""
    invitation = (
        Invitation.objects.select_related("cohort", "invited_by__user", "accepted_by")
        .filter(pk=invitation_id, accepted_at__isnull=False, invited_by__isnull=False)
        .first()
    )
    if invitation is None or invitation.invited_by is None:
        return
    context = {
        "invitation": invitation,
        "SITE_NAME": settings.SITE_NAME,
        "link": settings.SITE_URL.rstrip("/")
        + reverse("network:cohort_manage", args=[invitation.cohort.slug]),
    }
    send_mail(
        subject=f"[{settings.SITE_NAME}] Your invitation to {invitation.email} was accepted "
        "by another address",
        message=render_to_string("network/email/invitation_other_address.txt", context),
        from_email=None,
        recipient_list=[invitation.invited_by.user.email],
    )
