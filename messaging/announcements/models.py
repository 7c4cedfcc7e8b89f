"""Announcements from a cohort's managers (or administrators, to a program or the network).

The markdown is rendered and sanitised once, on write, by network.markdown (the one sanitiser);
pages only show the stored HTML. An announcement is sent once: ``sent_at`` is set in the same
transaction that notifies its audience, under the row's lock.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models import Cohort, CohortMembership, Member, Program

MAX_BODY = 10_000


class Audience(models.TextChoices):
    COHORT = "cohort", "A cohort"
    PROGRAM = "program", "A program"
    NETWORK = "network", "The whole network"


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def live(self) -> AnnouncementQuerySet:
        """Sent and not withdrawn."""
        return self.filter(sent_at__isnull=False, withdrawn_at__isnull=True)

    def addressed_to(self, member: Member) -> AnnouncementQuerySet:
        """Announcements whose audience includes the member (by their current cohorts)."""
        cohorts = CohortMembership.objects.filter(member=member).values("cohort")
        programs = Cohort.objects.filter(pk__in=cohorts).values("program")
        return self.filter(
            Q(audience=Audience.NETWORK)
            | Q(audience=Audience.COHORT, cohort__in=cohorts)
            | Q(audience=Audience.PROGRAM, program__in=programs)
        )

    def for_home(self, member: Member) -> AnnouncementQuerySet:
        """What the member's home page shows: live, addressed to them, not dismissed."""
        dismissed = Dismissal.objects.filter(member=member).values("announcement")
        return (
            self.live()
            .addressed_to(member)
            .exclude(pk__in=dismissed)
            .select_related("author", "cohort", "program")
            .order_by("-sent_at")
        )


class Announcement(models.Model):
    audience = models.CharField(max_length=10, choices=Audience.choices)
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="announcements"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=MAX_BODY, help_text="Markdown.")
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # When it goes out; sent_at is set when it has (a beat task sends the scheduled ones).
    send_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-send_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience="cohort", cohort__isnull=False, program__isnull=True)
                | Q(audience="program", cohort__isnull=True, program__isnull=False)
                | Q(audience="network", cohort__isnull=True, program__isnull=True),
                name="announcement_audience_matches",
            )
        ]
        indexes = [
            models.Index(
                fields=["send_at"],
                condition=Q(sent_at__isnull=True, withdrawn_at__isnull=True),
                name="announcement_due",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.COHORT and self.cohort:
            return self.cohort.name
        if self.audience == Audience.PROGRAM and self.program:
            return f"Everyone in {self.program.name}"
        return "The whole network"

    @property
    def is_scheduled(self) -> bool:
        return self.sent_at is None and self.withdrawn_at is None


class Dismissal(models.Model):
    """A member has put an announcement away: it leaves their home page."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="dismissals"
    )
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "member"], name="announcement_dismissed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} dismissed {self.announcement_id}"
