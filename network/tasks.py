"""Celery tasks of the network app: they take ids, fetch, and call a service."""

from __future__ import annotations

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from network import services
from network.mail import absolute, compose


@shared_task
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
def run_roster_import(import_id: int) -> None:
    services.run_roster_import(import_id=import_id)
