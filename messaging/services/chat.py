"""Writes for live chat. Every change is stored with the room's next number before anything is
broadcast, and broadcast only after commit; the broadcast is a wake-up, the database the truth."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from messaging import unread
from messaging.access.chat import can_converse_with, conversable_members
from messaging.models import (
    ChatPreference,
    Message,
    Room,
    RoomKind,
    RoomMember,
)
from messaging.models.chat import MAX_BODY, MAX_GROUP_SIZE, member_of_room
from messaging.services.broadcast import room_group, send_after_commit
from network.models import Cohort, Member


class ChatRefused(Exception):
    """A request the member may not make or that is malformed; ``code`` goes to the client."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Sent:
    message: Message
    created: bool

    def ack(self) -> dict:
        return {
            "type": "ack",
            "room": self.message.room_id,
            "client_id": self.message.client_id,
            "id": self.message.pk,
            "seq": self.message.seq,
            "duplicate": not self.created,
        }


def check_body(body: object) -> str:
    if not isinstance(body, str) or "\x00" in body:
        raise ChatRefused("bad_request", "A message is text without NUL characters.")
    if not body.strip():
        raise ChatRefused("empty_message", "A message needs some text.")
    if len(body) > MAX_BODY:
        raise ChatRefused("message_too_long", f"Messages are limited to {MAX_BODY} characters.")
    return body


def check_client_id(client_id: object) -> str:
    if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
        raise ChatRefused("bad_client_id", "client_id must be a string of 1 to 64 characters.")
    return client_id


def _wake(message: Message) -> None:
    """The frame is serialised once here, not once per connected socket."""
    frame = json.dumps({"type": "message", "message": message.as_frame()}, separators=(",", ":"))
    send_after_commit(
        room_group(message.room_id),
        {"type": "chat.message", "room": message.room_id, "rev": message.rev, "text": frame},
    )


def _lock_room(room: Room, member: Member) -> Room:
    """Lock the room row if the member is in it: numbers are then handed out gap-free and in
    commit order. Membership is checked in the same query, so it holds for this write."""
    locked = (
        Room.objects.select_for_update(of=("self",))
        .filter(member_of_room(member), pk=room.pk)
        .only("last_seq", "kind")
        .first()
    )
    if locked is None:
        raise ChatRefused("not_found", "No such room.")
    return locked


def _next_number(locked: Room) -> int:
    locked.last_seq += 1
    Room.objects.filter(pk=locked.pk).update(last_seq=locked.last_seq)
    return locked.last_seq


def send_message(*, member: Member, room: Room, body: str, client_id: str) -> Sent:
    """Store a message with the room's next number and wake the room after commit.

    Checks that the member is in the room (``room`` may be an unsaved ``Room(pk=...)``).
    Idempotent on ``client_id``: a resend stores nothing and returns the first acknowledgement.
    """
    body = check_body(body)
    client_id = check_client_id(client_id)
    with transaction.atomic():
        locked = _lock_room(room, member)
        # Checked under the room lock, so two copies of one resend cannot both get in.
        existing = Message.objects.filter(room=locked, sender=member, client_id=client_id).first()
        if existing is not None:
            return Sent(existing, created=False)
        seq = _next_number(locked)
        message = Message.objects.create(
            room=locked, seq=seq, rev=seq, sender=member, client_id=client_id, body=body
        )
        message.sender = member
        _wake(message)
        unread.room_changed_after_commit(locked.pk)
        if locked.kind == RoomKind.DIRECT:
            _notify_direct(locked, member)
    return Sent(message, created=True)


def _notify_direct(room: Room, sender: Member) -> None:
    """The bell for the other person in a direct conversation: one unread notification per
    conversation, however many messages follow, until they read it or open the conversation.
    Called under the room lock, which keeps two messages from both ringing. The notification
    never quotes the message."""
    from messaging.discussions.models import NotificationKind
    from messaging.discussions.notifications import notify_once

    other = RoomMember.objects.filter(room=room).exclude(member=sender).select_related("member")
    for row in other:
        notify_once(
            recipient=row.member,
            kind=NotificationKind.DIRECT_MESSAGE,
            summary=f"{sender.name} sent you a direct message",
            url=reverse("messaging:room", args=[room.pk]),
            actor=sender,
        )


def _own_message_for_change(member: Member, room: Room, message_id: object) -> Message:
    message = (
        Message.objects.select_for_update()
        .select_related("sender")
        .filter(room=room, pk=message_id if isinstance(message_id, int) else -1)
        .first()
    )
    if message is None:
        raise ChatRefused("not_found", "No such message in this room.")
    if message.sender_id != member.pk:
        raise ChatRefused("forbidden", "Only the author may change a message.")
    if message.deleted_at is not None:
        raise ChatRefused("deleted", "This message was deleted.")
    return message


def edit_message(*, member: Member, room: Room, message_id: int, body: str) -> Message:
    """Replace the text of the member's own message; the edit takes the room's next number."""
    body = check_body(body)
    with transaction.atomic():
        locked = _lock_room(room, member)
        message = _own_message_for_change(member, room, message_id)
        rev = _next_number(locked)
        message.body, message.rev, message.edited_at = body, rev, timezone.now()
        message.save(update_fields=["body", "rev", "edited_at"])
        _wake(message)
    return message


def delete_message(*, member: Member, room: Room, message_id: int) -> Message:
    """Leave a tombstone for the member's own message (text gone, place kept), numbered."""
    with transaction.atomic():
        locked = _lock_room(room, member)
        message = _own_message_for_change(member, room, message_id)
        rev = _next_number(locked)
        message.body, message.rev, message.deleted_at = "", rev, timezone.now()
        message.save(update_fields=["body", "rev", "deleted_at"])
        _wake(message)
        unread.room_changed_after_commit(locked.pk)
    return message


def join_room(*, member: Member, room: Room) -> RoomMember:
    """The member's read state in a room they may use (made if missing)."""
    row, created = RoomMember.objects.get_or_create(room=room, member=member)
    if created:  # the room's history now counts as unread for them
        unread.forget([member.user_id])
    return row


def mark_read(*, member: Member, room: Room, seq: int) -> int:
    """Move the member's read marker forward (never back) and share it if receipts are on."""
    # Never past the last number handed out, read now (the caller's copy may be old).
    last_seq = Room.objects.filter(pk=room.pk).values_list("last_seq", flat=True).first() or 0
    seq = min(int(seq), last_seq)
    row = join_room(member=member, room=room)
    updated = RoomMember.objects.filter(pk=row.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
    if updated:
        unread.forget([member.user_id])
        if room.kind == RoomKind.DIRECT:
            _read_direct_notifications(member, room)
    if updated and row.receipts:
        send_after_commit(
            room_group(room.pk),
            {"type": "chat.read", "room": room.pk, "member": member.pk, "seq": seq},
        )
    return max(seq, row.last_read_seq)


def _read_direct_notifications(member: Member, room: Room) -> None:
    from messaging.discussions.notifications import mark_url_read

    mark_url_read(member=member, url=reverse("messaging:room", args=[room.pk]))


def set_receipts(*, member: Member, room: Room, enabled: bool) -> None:
    """Whether others in the room see how far the member has read."""
    join_room(member=member, room=room)
    RoomMember.objects.filter(room=room, member=member).update(receipts=enabled)


def set_presence_shown(*, member: Member, shown: bool) -> None:
    """Whether others see the member online; the fact of being online is never stored."""
    ChatPreference.objects.update_or_create(member=member, defaults={"show_presence": shown})


def open_cohort_room(*, cohort: Cohort) -> Room:
    """The cohort's chat room, made with the cohort (the same room on every later call)."""
    room, _ = Room.objects.get_or_create(
        cohort=cohort, defaults={"kind": RoomKind.COHORT, "name": cohort.name}
    )
    return room


def join_cohort_room(*, member: Member, cohort: Cohort) -> RoomMember:
    """The member's read state in their cohort's room, made when they join the cohort, so a
    client that only speaks the socket protocol finds the room and its unread messages."""
    return join_room(member=member, room=open_cohort_room(cohort=cohort))


def leave_cohort_room(*, member: Member, cohort: Cohort) -> None:
    """Their read state goes with their membership (access already follows the membership):
    the room stops counting in their unread badge."""
    RoomMember.objects.filter(room__cohort=cohort, member=member).delete()
    unread.forget([member.user_id])


def ensure_cohort_rooms(*, member: Member) -> None:
    """The room and read state of each of the member's cohorts, for memberships made without
    the network's services (the demo seed, test factories); idempotent."""
    cohorts = Cohort.objects.filter(memberships__member=member).exclude(
        chat_room__members__member=member
    )
    for cohort in cohorts:
        join_cohort_room(member=member, cohort=cohort)


def start_direct(*, member: Member, other: Member) -> Room:
    """The one direct conversation between two members who can see each other."""
    if not can_converse_with(member, other):
        raise ChatRefused("not_found", "No such member.")
    low, high = sorted((member.pk, other.pk))
    with transaction.atomic():
        room, created = Room.objects.get_or_create(
            direct_key=f"{low}:{high}", defaults={"kind": RoomKind.DIRECT}
        )
        if created:
            RoomMember.objects.bulk_create(
                [RoomMember(room=room, member=member), RoomMember(room=room, member=other)]
            )
    return room


def create_group(*, creator: Member, name: str, members: list[Member]) -> Room:
    """A small group conversation (at most 12 people) among members the creator can see."""
    people = {m.pk: m for m in members if m.pk != creator.pk}
    if not name.strip():
        raise ChatRefused("bad_name", "A group conversation needs a name.")
    if not people or len(people) + 1 > MAX_GROUP_SIZE:
        raise ChatRefused(
            "bad_group_size", f"A group has 2 to {MAX_GROUP_SIZE} people, you included."
        )
    seen = set(conversable_members(creator).filter(pk__in=people).values_list("pk", flat=True))
    if seen != set(people):
        raise ChatRefused("not_found", "No such member.")
    with transaction.atomic():
        room = Room.objects.create(kind=RoomKind.GROUP, name=name.strip()[:120])
        RoomMember.objects.bulk_create(
            [RoomMember(room=room, member=m) for m in [creator, *people.values()]]
        )
    return room
