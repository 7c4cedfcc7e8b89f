"""Members and their profile: agencies, the shared vocabulary of tags, who a member is and who
may see which of their fields."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from network.models.accounts import User


class Sector(models.TextChoices):
    FEDERAL = "federal", "Federal"
    STATE = "state", "State"
    LOCAL = "local", "Local"
    TRIBAL = "tribal", "Tribal"
    PRIVATE = "private", "Private sector"
    NONPROFIT = "nonprofit", "Nonprofit"
    ACADEMIC = "academic", "Academic"


class Agency(models.Model):
    name = models.CharField(max_length=200)
    acronym = models.CharField(max_length=30, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, default=Sector.FEDERAL)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})"


class MemberType(models.TextChoices):
    APPOINTEE = "appointee", "Political appointee"
    CAREER = "career", "Career executive"
    ALUMNUS = "alumnus", "Alumnus"
    PRIVATE = "private", "Private sector"
    STAFF = "staff", "Network staff"


# Long enough for what a person writes about themselves or a cohort (LinkedIn's "About" holds
# 2,600 characters); a form refuses more with a message saying so.
BIO_MAX = 4000
DESCRIPTION_MAX = 4000


class Visibility(models.TextChoices):
    NETWORK = "network", "Whole network"
    COHORTS = "cohorts", "My cohorts only"
    HIDDEN = "hidden", "Hidden"


class FieldVisibility(models.TextChoices):
    """Who sees a sensitive field; the owner, their cohorts' managers and admins always do."""

    NETWORK = "network", "Every member"
    COHORTS = "cohorts", "People in my cohorts"
    MANAGERS = "managers", "Only network managers of my cohorts"


class ContactMethod(models.TextChoices):
    MESSAGE = "message", "A message in Convene"
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"


class Tag(models.Model):
    """One word or phrase of the shared vocabulary for expertise and challenges."""

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet["Member"]):
    def active(self) -> MemberQuerySet:
        """Members whose account is active (an anti-join on the few inactive accounts)."""
        inactive = User.objects.filter(is_active=False).values("pk")
        return self.exclude(user_id__in=inactive)


class Member(models.Model):
    """The person behind a login: who they are in the network."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=150)
    headline = models.CharField(max_length=200, blank=True)
    member_type = models.CharField(
        max_length=20, choices=MemberType.choices, default=MemberType.CAREER
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    organisation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, max_length=BIO_MAX)
    time_zone = models.CharField(max_length=64, default="America/New_York")
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.NETWORK
    )
    bio_html = models.TextField(blank=True, editable=False)
    expertise = models.ManyToManyField(Tag, blank=True, related_name="experts")
    challenges = models.ManyToManyField(Tag, blank=True, related_name="working_on")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email_visibility = models.CharField(
        max_length=20, choices=FieldVisibility.choices, default=FieldVisibility.COHORTS
    )
    phone_visibility = models.CharField(
        max_length=20, choices=FieldVisibility.choices, default=FieldVisibility.MANAGERS
    )
    contact_method = models.CharField(
        max_length=20, choices=ContactMethod.choices, default=ContactMethod.MESSAGE
    )
    contact_note = models.CharField(max_length=200, blank=True)
    # What the directory searches: kept by services.index_members, never edited by hand.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    left_government_on = models.DateField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    # Set for the directory's cards by network.directory (not stored).
    challenge_list: str
    expertise_list: str

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["member_type"]),
            models.Index(fields=["time_zone"]),
            # The directory's default order: a page of 25 walks this index instead of sorting.
            models.Index(fields=["name", "id"], name="network_member_name_id"),
            # The directory's per-viewer part (access.visible_members_split): the cohort-only
            # and hidden profiles among the viewer's cohort-mates, without reading the others.
            models.Index(
                fields=["id"], condition=~Q(visibility="network"), name="network_member_not_network"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """How content written by this member is signed: deactivated accounts stay anonymous."""
        return "A former member" if self.deactivated_at else self.name

    @property
    def organisation_name(self) -> str:
        return self.agency.name if self.agency else self.organisation
