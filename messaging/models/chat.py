"""Live chat: rooms, who is in them with their read state, and the numbered messages.

Every room counts its changes in ``last_seq``. A new message takes the next number as its
``seq`` (its place in the room) and as its ``rev``; an edit or a delete takes the next number as
the message's new ``rev``. A client that remembers the highest ``rev`` it has seen can ask for
every change after it and get each changed message once, in order: nothing relies on the
channel layer, which may drop messages.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import batched

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.utils import timezone

from network.models import Cohort, Member

MAX_BODY = 4000
MAX_GROUP_SIZE = 12


class RoomKind(models.TextChoices):
    COHORT = "cohort", "Cohort room"
    DIRECT = "direct", "Direct conversation"
    GROUP = "group", "Group conversation"


def member_of_room(member: Member | int) -> Q:
    """Rooms the member (or member id) takes part in: their cohorts' rooms and conversations
    they are in. The one rule: pages, services and the sockets' re-check all ask it.

    Cohort rooms follow cohort membership (someone who leaves a cohort leaves its room),
    conversations follow RoomMember rows. Written with EXISTS, not joins, so that it needs no
    DISTINCT and can sit in a SELECT ... FOR UPDATE.
    """
    from network.models import CohortMembership

    in_cohort = CohortMembership.objects.filter(cohort=OuterRef("cohort"), member=member)
    in_conversation = RoomMember.objects.filter(room=OuterRef("pk"), member=member)
    return (Q(kind=RoomKind.COHORT) & Q(Exists(in_cohort))) | (
        ~Q(kind=RoomKind.COHORT) & Q(Exists(in_conversation))
    )


# Members asked about in one statement (SQLite allows 500 SELECTs in a compound one).
MEMBERS_PER_QUERY = 200


def rooms_members_are_in(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The (member id, room id) pairs among ``pairs`` where the member is in the room:
    member_of_room for each member, over only the rooms asked about, all in one UNION ALL
    query per 200 members (the chat sockets' periodic re-check asks it for every socket of a
    process)."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for member, room in pairs:
        wanted[member].add(room)
    per_member = [
        Room.objects.filter(member_of_room(member), pk__in=rooms)
        .annotate(member_id=Value(member))
        .values_list("member_id", "pk")
        for member, rooms in wanted.items()
    ]
    found: set[tuple[int, int]] = set()
    for first, *rest in batched(per_member, MEMBERS_PER_QUERY):
        found |= set(first.union(*rest, all=True))
    return found


class RoomQuerySet(models.QuerySet["Room"]):
    def for_member(self, member: Member) -> RoomQuerySet:
        return self.filter(member_of_room(member))


class Room(models.Model):
    kind = models.CharField(max_length=10, choices=RoomKind.choices)
    cohort = models.OneToOneField(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="chat_room"
    )
    name = models.CharField(max_length=120, blank=True)
    # "lowid:highid" for direct conversations, so that two members share exactly one.
    direct_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    last_seq = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoomQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RoomKind.COHORT, cohort__isnull=False)
                | (~Q(kind=RoomKind.COHORT) & Q(cohort__isnull=True)),
                name="chat_room_cohort_iff_cohort_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.pk}"


class RoomMember(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="chat_rooms")
    last_read_seq = models.BigIntegerField(default=0)
    receipts = models.BooleanField(
        default=True, help_text="Let the others in the room see how far this member has read."
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "member"], name="chat_one_membership")
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.room}"


class ChatPreference(models.Model):
    """What a member chooses to show others in chat; presence itself is never stored."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="chat_preference")
    show_presence = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Chat preferences of {self.member}"


class MessageQuerySet(models.QuerySet["Message"]):
    def changed_since(self, room: Room, rev: int) -> MessageQuerySet:
        """Each message created, edited or deleted after ``rev``, once, in the order of change."""
        return self.filter(room=room, rev__gt=rev).select_related("sender").order_by("rev")

    def before(self, room: Room, seq: int) -> MessageQuerySet:
        """Older messages, newest first, for paging history backwards."""
        return self.filter(room=room, seq__lt=seq).select_related("sender").order_by("-seq")

    def unread_for(self, member: Member) -> MessageQuerySet:
        """Messages others wrote after the member's read marker in rooms they have opened."""
        return self.filter(
            room__members__member=member,
            seq__gt=F("room__members__last_read_seq"),
            deleted_at__isnull=True,
        ).exclude(sender=member)


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField(help_text="Place in the room, from the room's counter.")
    rev = models.BigIntegerField(help_text="Room counter at the last change (create/edit/delete).")
    sender = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="chat_messages")
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=MAX_BODY)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_seq_unique_in_room"),
            models.UniqueConstraint(
                fields=["room", "sender", "client_id"], name="chat_client_id_once"
            ),
        ]
        indexes = [
            models.Index(fields=["room", "rev"], name="chat_message_room_rev"),
            # The send rate counted in PostgreSQL when Redis is away (messaging.throttle).
            models.Index(fields=["sender", "created_at"], name="chat_message_sender_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} in {self.room_id}"

    def as_frame(self) -> dict:
        """The message as clients see it; a deleted message is a tombstone without text."""
        return {
            "id": self.pk,
            "room": self.room_id,
            "seq": self.seq,
            "rev": self.rev,
            "sender": {"id": self.sender_id, "name": self.sender.name},
            # Lets the sender's tabs match a live message to the copy they are still sending.
            "client_id": self.client_id,
            "body": "" if self.deleted_at else self.body,
            "created_at": self.created_at.isoformat(),
            "edited": self.edited_at is not None,
            "deleted": self.deleted_at is not None,
        }
