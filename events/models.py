"""Events, RSVPs and waitlists, reminders sent, calendar feeds and availability polls."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from network.models import Cohort, CohortMembership, Member, RecordsMode

# An agenda, speakers and logistics fit comfortably; a form refuses more, saying so.
EVENT_DESCRIPTION_MAX = 10000


class LocationKind(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class EventQuerySet(models.QuerySet["Event"]):
    def visible_to(self, user) -> EventQuerySet:
        """Network-wide events for every member; a cohort's events for its people only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        if not Member.objects.filter(user=user).exists():
            return self.none()
        mine = CohortMembership.objects.filter(member__user=user).values("cohort")
        return self.filter(Q(cohort__isnull=True) | Q(cohort__in=mine))

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def past(self) -> EventQuerySet:
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")

    def for_listing(self, member: Member | None) -> EventQuerySet:
        """One query for a list page: host cohort, seats taken and the viewer's own answer."""
        mine = RSVP.objects.filter(event=OuterRef("pk"), member=member).values("status")[:1]
        return self.select_related("cohort__program").annotate(
            going_count=Count("rsvps", filter=Q(rsvps__status=RSVPStatus.GOING)),
            my_status=Subquery(mine) if member else models.Value(""),
        )


class Event(models.Model):
    """A session, roundtable or gathering.

    Times are stored in UTC; ``time_zone`` is the IANA zone it was planned in, which calendars
    carry (VTIMEZONE) so that a recurring daylight-saving change cannot move it.
    """

    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        help_text="Empty for a network-wide event.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(
        blank=True, max_length=EVENT_DESCRIPTION_MAX, help_text="Markdown."
    )
    description_html = models.TextField(blank=True, editable=False)
    starts_at = models.DateTimeField(db_index=True)
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)
    location_kind = models.CharField(
        max_length=20, choices=LocationKind.choices, default=LocationKind.IN_PERSON
    )
    address = models.CharField(max_length=300, blank=True)
    online_url = models.URLField(blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    rsvp_deadline = models.DateTimeField(null=True, blank=True)
    records_mode = models.CharField(
        max_length=20, choices=RecordsMode.choices, default=RecordsMode.INFORMAL
    )
    status = models.CharField(
        max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    # iCalendar: UID never changes; SEQUENCE goes up with every change calendars must apply.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="events_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def rsvps_closed(self) -> bool:
        now = timezone.now()
        return (
            self.is_cancelled
            or self.starts_at <= now
            or (self.rsvp_deadline is not None and self.rsvp_deadline < now)
        )

    @property
    def location_text(self) -> str:
        return self.address if self.location_kind == LocationKind.IN_PERSON else self.online_url


class RSVPStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITLISTED = "waitlisted", "On the waitlist"
    DECLINED = "declined", "Not going"


class RSVP(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=20, choices=RSVPStatus.choices)
    # The waitlist is served in the order people joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(default=timezone.now)
    attended = models.BooleanField(null=True, blank=True)
    # Set at the door (the check-in list); a walk-in is a "going" answer made there.
    checked_in_at = models.DateTimeField(null=True, blank=True)
    walk_in = models.BooleanField(default=False)

    class Meta:
        ordering = ["responded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="one_rsvp_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.status} {self.event}"


class Reminder(models.Model):
    """A reminder sent: the unique row is what makes each reminder go out exactly once."""

    rsvp = models.ForeignKey(RSVP, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rsvp", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder for {self.rsvp_id}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def active(self) -> CalendarFeedQuerySet:
        return self.filter(revoked_at__isnull=True)


class CalendarFeed(models.Model):
    """A member's private calendar subscription; the token is the only credential it takes."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="calendar_feeds")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_feed_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.member_id}"


class PollStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class PollQuerySet(models.QuerySet["Poll"]):
    def visible_to(self, user) -> PollQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(cohort__memberships__member__user=user).distinct()


class Poll(models.Model):
    """An availability poll: a manager proposes slots, the cohort answers, closing schedules."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=EVENT_DESCRIPTION_MAX)
    time_zone = models.CharField(max_length=64)
    duration_minutes = models.PositiveIntegerField(default=60)
    status = models.CharField(max_length=20, choices=PollStatus.choices, default=PollStatus.OPEN)
    closes_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="polls_created"
    )
    created_at = models.DateTimeField(default=timezone.now)
    event = models.OneToOneField(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="poll"
    )

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PollSlot(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"Slot at {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    IF_NEED_BE = "maybe", "If need be"
    NO = "no", "No"


class PollVote(models.Model):
    slot = models.ForeignKey(PollSlot, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="poll_votes")
    answer = models.CharField(max_length=10, choices=Answer.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slot", "member"], name="one_vote_per_slot")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.answer}"


class PollReminder(models.Model):
    """A nudge sent to a member who had not answered; unique so it goes once."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="reminders")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "member"], name="one_poll_reminder")]

    def __str__(self) -> str:
        return f"Poll reminder to {self.member_id}"
