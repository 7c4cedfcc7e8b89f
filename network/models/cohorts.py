"""Programs, their cohorts, who belongs to each, and how what is said in their spaces may be
used."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from network.models.members import DESCRIPTION_MAX, Member


class RecordsMode(models.TextChoices):
    """How what is said in a space (board, room, event discussion) may be used; see DESIGN.md."""

    INFORMAL = "informal", "Informal"
    OFF_THE_RECORD = "off_record", "Off the record"
    ON_THE_RECORD = "on_record", "On the record"


class Program(models.Model):
    """A leadership network the organisation runs, such as a fellowship."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    leads: models.ManyToManyField[Member, models.Model] = models.ManyToManyField(
        "Member",
        blank=True,
        related_name="led_programs",
        help_text="Program leads may create cohorts in this program.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(models.Model):
    """A class or circle within a program."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    MANAGER = "manager", "Manager"


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "member"], name="one_membership_per_cohort")
        ]
        # The directory counts members per cohort for a few thousand members at a time: with
        # this the database reads their cohorts from the index alone, instead of every row.
        indexes = [models.Index(fields=["member", "cohort"], name="network_membership_member")]

    def __str__(self) -> str:
        return f"{self.member} in {self.cohort} ({self.role})"
