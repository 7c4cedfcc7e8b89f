"""Nudges: the e-mail a cohort's managers send to members who have gone quiet."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from network.models.cohorts import Cohort
from network.models.members import Member

DEFAULT_NUDGE_SUBJECT = "We miss you in {cohort}"
DEFAULT_NUDGE_BODY = (
    "Hello {name},\n\n"
    "It has been a while since we saw you in {cohort}. Your peers are discussing, meeting and "
    "chatting, and they would value your voice.\n\n"
    "Drop in when you have a moment: {link}\n\n"
    "Warm regards,\n{manager}"
)


class NudgeTemplate(models.Model):
    """The friendly e-mail a cohort's managers send to members who have gone quiet."""

    cohort = models.OneToOneField(Cohort, on_delete=models.CASCADE, related_name="nudge_template")
    subject = models.CharField(max_length=200, default=DEFAULT_NUDGE_SUBJECT)
    body = models.TextField(max_length=4000, default=DEFAULT_NUDGE_BODY)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Nudge for {self.cohort}"


class Nudge(models.Model):
    """A nudge sent (or queued) to one member; nobody is nudged twice within 14 days."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "-created_at"], name="nudge_member_recent")]

    def __str__(self) -> str:
        return f"Nudge to {self.member_id}"
