"""The console's summary tables."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models.cohorts import Cohort, Program
from network.models.members import Member

# Console summaries --------------------------------------------------------------------------
# Filled by scheduled tasks (network.summaries holds the writes; messaging and events feed it
# what they know), read by the console (network.console). They hold counts and pairs of
# members, never text: off-the-record spaces add to counts only.


class MemberDay(models.Model):
    """A day on which a member signed in, posted, chatted or answered an RSVP."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "day"], name="summary_one_member_day")
        ]
        indexes = [models.Index(fields=["day", "member"], name="summary_member_day_by_day")]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.day}"


class CohortWeek(models.Model):
    """What was said in a cohort's own spaces in one week (Monday): posts on its board (those
    off the record counted apart, as well) and messages in its chat room."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    posts = models.PositiveIntegerField(default=0)
    off_record_posts = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["week"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "week"], name="summary_one_cohort_week")
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id} week of {self.week}"


class EventTally(models.Model):
    """A cohort event's answers and attendance, as the events app last counted them."""

    event_id = models.BigIntegerField(unique=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    going = models.PositiveIntegerField(default=0)
    waitlisted = models.PositiveIntegerField(default=0)
    declined = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["cohort", "starts_at"], name="summary_tally_cohort")]

    def __str__(self) -> str:
        return f"{self.title}: {self.attended}/{self.going}"


class Tie(models.Model):
    """Two members who exchanged a direct message, replied to each other or attended the same
    event (never counted from an off-the-record space). ``low`` has the smaller id."""

    low = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    first_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="summary_one_tie"),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="summary_tie_order"),
        ]
        indexes = [models.Index(fields=["high", "low"], name="summary_tie_high")]

    def __str__(self) -> str:
        return f"{self.low_id}-{self.high_id}"


class ConsoleSnapshot(models.Model):
    """A cohort's or a program's console figures that read the whole membership (active
    members, composition, ties), stored by the network summary task (network.console)."""

    cohort = models.OneToOneField(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    program = models.OneToOneField(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    figures = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)
    # Who the members were when it was computed (network.summaries.membership_digests): a
    # snapshot whose cohort's members changed since is computed again.
    membership_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=True) ^ Q(program__isnull=True),
                name="console_snapshot_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"Console snapshot {self.cohort_id or self.program_id}"


class SummaryCursor(models.Model):
    """How far a summary task has read its source (the last id, or the last time)."""

    name = models.CharField(max_length=60, unique=True)
    position = models.BigIntegerField(default=0)
    moment = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} at {self.position}"
