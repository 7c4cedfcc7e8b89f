"""Invitations to a cohort, the only way into the network, and the CSV imports that send them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models.cohorts import Cohort, Role
from network.models.members import Agency, Member, MemberType

INVITATION_SALT = "convene.invitation"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


def default_invitation_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An invitation to join a cohort; the only way into the network."""

    email = models.EmailField()
    name = models.CharField(max_length=150, blank=True)
    member_type = models.CharField(max_length=20, choices=MemberType.choices, blank=True)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=200, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The account that accepted: not always the invited address (see accept_invitation).
    accepted_by = models.ForeignKey(
        "User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_cohort_and_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cohort}"

    @property
    def signed_token(self) -> str:
        return signing.Signer(salt=INVITATION_SALT).sign(self.token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.opened_at:
            return "opened"
        return "sent" if self.sent_at else "pending"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


# Longer than Celery's visibility timeout (10 minutes), so Redis gets to hand a dead worker's
# import to another worker before its manager is told it failed.
IMPORT_STALLED_AFTER = timedelta(minutes=15)


class RosterImport(models.Model):
    """A CSV of people to invite to a cohort, worked through by a Celery task."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL)
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default="queued")
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Touched as the import starts and after every chunk: an unfinished import whose heartbeat
    # is older than IMPORT_STALLED_AFTER lost its worker (killed, or never started).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or 'import'} → {self.cohort}"

    @property
    def stalled(self) -> bool:
        if self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING):
            return False
        last = self.heartbeat_at or self.created_at
        return last < timezone.now() - IMPORT_STALLED_AFTER

    @property
    def shown_status(self) -> str:
        """What its manager is told: an import that stopped moving has failed."""
        return ImportStatus.FAILED if self.stalled else self.status

    def get_shown_status_display(self) -> str:
        return ImportStatus(self.shown_status).label

    @property
    def can_retry(self) -> bool:
        return self.shown_status == ImportStatus.FAILED

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else round(100 * self.processed_rows / self.total_rows)
