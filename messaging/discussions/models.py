"""Boards, threads, posts and what hangs off them; notifications and e-mail preferences.

A post's markdown is rendered once, on write, and stored sanitised in ``body_html``; pages only
ever show the stored HTML. Posts are numbered within their thread (1 is the opening post), so
per-member read state is one number per thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.access import member_for
from network.models import Cohort, CohortMembership, Member, RecordsMode

if TYPE_CHECKING:
    from collections.abc import Sequence

    from messaging.discussions.queries import ReactionGroup

MAX_BODY = 20_000


RECORDS_MODE_HELP = {
    RecordsMode.INFORMAL: "Informal: kept for members of this board, not for publication.",
    RecordsMode.OFF_THE_RECORD: (
        "Off the record (Chatham House): what is said may be used, who said it may not. "
        "Never quoted in e-mail, digests, search snippets or exports."
    ),
    RecordsMode.ON_THE_RECORD: "On the record: kept and exportable by the board's members.",
}


class BoardQuerySet(models.QuerySet["Board"]):
    def visible_to(self, user) -> BoardQuerySet:
        """Network-wide boards for every member; a cohort's board for its members and managers;
        every board for administrators."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        if member_for(user) is None:  # the request's user comes with it (network.backends)
            return self.none()
        mine = CohortMembership.objects.filter(member__user=user).values("cohort")
        return self.filter(Q(cohort__isnull=True) | Q(cohort__in=mine))


class RecordsModeMixin:
    """What the records notice and the privacy checks read: a board's mode, or a thread's own
    mode falling back to its board's (``effective_records_mode``)."""

    @property
    def effective_records_mode(self) -> str:
        raise NotImplementedError

    @property
    def records_help(self) -> str:
        return RECORDS_MODE_HELP[RecordsMode(self.effective_records_mode)]

    @property
    def off_the_record(self) -> bool:
        return self.effective_records_mode == RecordsMode.OFF_THE_RECORD


class Board(RecordsModeMixin, models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.CharField(max_length=300, blank=True)
    cohort = models.OneToOneField(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="board"
    )
    records_mode = models.CharField(
        max_length=12, choices=RecordsMode.choices, default=RecordsMode.INFORMAL
    )
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_records_mode(self) -> str:
        return self.records_mode


class ThreadQuerySet(models.QuerySet["Thread"]):
    def visible_to(self, user) -> ThreadQuerySet:
        return self.filter(board__in=Board.objects.visible_to(user))


class Thread(RecordsModeMixin, models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Kept up to date by the services so that a board page needs no aggregate over posts.
    post_count = models.PositiveIntegerField(default=0)
    participant_count = models.PositiveIntegerField(default=0)
    last_post_at = models.DateTimeField(default=timezone.now)
    last_author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # The iCalendar UID of the event this thread discusses: unique, so that two requests
    # opening an event's discussion at once make one thread.
    event_uid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # Empty: the board's records mode. An event's thread carries the mode the event was
    # planned with, since a cohort has one board for all its events.
    records_mode = models.CharField(
        max_length=12, choices=RecordsMode.choices, blank=True, default=""
    )

    objects = ThreadQuerySet.as_manager()

    class Meta:
        ordering = ["-pinned", "-last_post_at"]
        indexes = [models.Index(fields=["board", "-pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    @property
    def effective_records_mode(self) -> str:
        return self.records_mode or self.board.records_mode

    # Replaces the method Django makes for the field: a thread shows its effective mode.
    def get_records_mode_display(self) -> str:  # type: ignore[no-redef]
        return RecordsMode(self.effective_records_mode).label


def off_the_record_q(thread: str = "thread") -> Q:
    """Rows whose thread is off the record, by its own mode or else its board's."""
    off = RecordsMode.OFF_THE_RECORD
    own, boards = f"{thread}__records_mode", f"{thread}__board__records_mode"
    return Q(**{own: off}) | Q(**{own: "", boards: off})


class PostQuerySet(models.QuerySet["Post"]):
    def visible_to(self, user, boards: list[Board] | None = None) -> PostQuerySet:
        """Posts on the boards the user may see. ``boards``: those boards, when the caller has
        already read ``Board.objects.visible_to(user)``; their ids are planned faster than the
        subquery (2-4 ms less per search query)."""
        return self.filter(
            thread__board__in=Board.objects.visible_to(user) if boards is None else boards
        )


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(max_length=MAX_BODY)
    body_html = models.TextField(editable=False)
    quote_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Plain text (thread title for the opening post, then the body) that search reads. The
    # GIN index over the vector is made by migration 0002 on PostgreSQL only (SQLite cannot).
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PostQuerySet.as_manager()
    # Set on the posts of a page by queries.annotate_reactions, not stored.
    reaction_groups: Sequence[ReactionGroup]
    # Set for one reader by queries.thread_posts and people.annotate_people, not stored.
    author_seen: bool
    body_shown: str

    class Meta:
        ordering = ["thread", "number"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "number"], name="discussions_post_number")
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="discussions_post_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.number}"

    @property
    def anchor(self) -> str:
        """The post's place on its thread page (the element id is ``post-N``)."""
        return f"#post-{self.number}"


class PostRevision(models.Model):
    """An earlier version of an edited post, for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Revision of {self.post_id} at {self.written_at:%Y-%m-%d %H:%M}"


class ReactionKind(models.TextChoices):
    AGREE = "agree", "👍 Agree"
    THANKS = "thanks", "🙏 Thanks"
    INSIGHT = "insight", "💡 Insightful"
    CELEBRATE = "celebrate", "🎉 Celebrate"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "member", "kind"], name="discussions_one_reaction_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.post_id}"


class ThreadRead(models.Model):
    """How far a member has read a thread: the number of the last post they have seen."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read = models.PositiveIntegerField(default=0)
    visited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="discussions_one_read")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} read {self.thread_id} to {self.last_read}"


class Level(models.TextChoices):
    FOLLOW = "follow", "Following"
    MUTE = "mute", "Muted"


class Subscription(models.Model):
    """A member following or muting one thread or one board."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    level = models.CharField(max_length=8, choices=Level.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(thread__isnull=True) ^ Q(board__isnull=True),
                name="discussions_subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["member", "thread"],
                condition=Q(thread__isnull=False),
                name="discussions_one_thread_subscription",
            ),
            models.UniqueConstraint(
                fields=["member", "board"],
                condition=Q(board__isnull=False),
                name="discussions_one_board_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.level} {self.thread_id or self.board_id}"


class BoardMute(models.Model):
    """A moderator's time-limited silence for one member on one board."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="mutes")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = models.CharField(max_length=300, blank=True)
    muted_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member_id} muted on {self.board_id} until {self.until:%Y-%m-%d %H:%M}"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Report on post {self.post_id}"


class NotificationKind(models.TextChoices):
    REPLY_TO_MY_THREAD = "reply_mine", "Reply to your thread"
    REPLY_FOLLOWED = "reply", "Reply in a thread you follow"
    MENTION = "mention", "Mention"
    EVENT_INVITATION = "event_invitation", "Event invitation"
    EVENT_REMINDER = "event_reminder", "Event reminder"
    EVENT_UPDATE = "event_update", "Event changed or cancelled"
    EVENT_NEW = "event_new", "New event in your cohort"
    POLL_OPENED = "poll_opened", "New availability poll"
    DIRECT_MESSAGE = "direct_message", "Direct message"
    ANNOUNCEMENT = "announcements", "Announcement"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something that happened that one member should hear about, in the app and by e-mail.

    ``summary`` is written by the service that notifies and never quotes off-the-record content.
    """

    recipient = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE)
    summary = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="discussions_unread_notes",
            ),
            models.Index(
                fields=["recipient", "thread"],
                condition=Q(emailed_at__isnull=True),
                name="discussions_unemailed_notes",
            ),
            # Opening a thread reads its notifications: asked on every thread page.
            models.Index(
                fields=["recipient", "thread"],
                condition=Q(read_at__isnull=True),
                name="discussions_unread_in_thread",
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "At once (at most one e-mail per thread every 10 minutes)"
    DAILY = "daily", "Daily digest at 7:00 in my time zone"
    WEEKLY = "weekly", "Weekly digest, Monday 7:00 in my time zone"
    OFF = "off", "Off"


class MailKind(models.TextChoices):
    """What a member can turn off on its own, from the settings page or one click in a mail.
    Replies, mentions and direct messages follow ``EmailPreference.frequency`` (at once,
    digests, off); the others are on or off."""

    DISCUSSIONS = "discussions", "Replies, mentions and direct messages"
    EVENTS = "events", "Event invitations, changes and cancellations"
    REMINDERS = "reminders", "Reminders before events and unanswered polls"
    ANNOUNCEMENTS = "announcements", "Announcements from your network"
    NUDGES = "nudges", "Occasional nudges about things waiting for you"


class EmailPreference(models.Model):
    """A member's e-mail choices; a member without a row has the defaults (everything on,
    replies at once)."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.IMMEDIATE
    )
    events = models.BooleanField(default=True)
    reminders = models.BooleanField(default=True)
    announcements = models.BooleanField(default=True)
    nudges = models.BooleanField(default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.frequency}"


class ThreadEmail(models.Model):
    """When a member was last e-mailed about a thread: the 10-minute batching window."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "thread"], name="discussions_one_email_mark")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} e-mailed about {self.thread_id}"


class SentEmail(models.Model):
    """A message that must go at most once (an invitation, a change, a poll's call): its key is
    stored in the transaction that sends it, so a task run twice, or re-delivered after its
    worker died, finds the key and sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    member = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key
