"""Accounts, agencies, members, programs, cohorts, invitations and the audit log."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.db import models
from django.db.models import Q
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. People sign in by e-mail; there are no usernames."""

    email = models.EmailField(unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Administrators of the whole site.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        # Deactivated accounts are few: a small partial index lets member lists exclude them
        # without joining every member to its user.
        indexes = [
            models.Index(fields=["id"], condition=Q(is_active=False), name="network_user_inactive")
        ]

    def __str__(self) -> str:
        return self.email


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


class RecordsMode(models.TextChoices):
    """How what is said in a space (board, room, event discussion) may be used; see DESIGN.md."""

    INFORMAL = "informal", "Informal"
    OFF_THE_RECORD = "off_record", "Off the record"
    ON_THE_RECORD = "on_record", "On the record"


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


class PositionQuerySet(models.QuerySet["Position"]):
    def in_seat(self, *, title: str, agency_id: int | None, organisation: str) -> PositionQuerySet:
        """Roles held in the same seat: the same agency (or organisation), best match first.

        Titles are written freely ("Deputy CIO", "Deputy Chief Information Officer"), so the
        agency decides the seat and an exact title only ranks a role higher; among the rest the
        most recently ended role comes first, as that holder is the one handing over.
        """
        if agency_id:
            roles = self.filter(agency_id=agency_id)
        elif organisation:
            roles = self.filter(agency__isnull=True, organisation__iexact=organisation)
        else:
            roles = self.filter(title__iexact=title)
        same_title = models.Case(
            models.When(title__iexact=title, then=0), default=1, output_field=models.IntegerField()
        )
        return roles.order_by(
            same_title, models.F("ends_on").desc(nulls_last=True), "-starts_on", "-pk"
        )


class Position(models.Model):
    """One dated role: the history that survives leaving office."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=200)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    organisation = models.CharField(max_length=200, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # The seat's previous holder, so outgoing and incoming holders can be introduced.
    succeeds = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="successors"
    )

    objects = PositionQuerySet.as_manager()
    # Set by network.seats.history_with_introductions for a profile page, not stored.
    visible_predecessor: Member | None
    visible_successors: list[Member]

    class Meta:
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}, {self.agency or self.organisation}"

    @property
    def seat(self) -> str:
        """How the seat is named in an introduction: "Deputy CIO, HHS"."""
        where = self.agency.acronym if self.agency else self.organisation
        return f"{self.title}, {where}" if where else self.title


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


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """The audit log is append-only: rows are added, never changed or removed."""

    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.actor_email}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")


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
