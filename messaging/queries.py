"""Reads for live chat: what a socket or the page needs, each in a fixed number of queries.
Nothing here writes: rooms and read state are made with the cohort, the membership or the
conversation (messaging.services.chat), never by looking."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from messaging.access.chat import room_for
from messaging.models import ChatPreference, Message, Room, RoomMember
from messaging.models.chat import rooms_members_are_in
from network.models import Member

REPLAY_PAGE = 200

__all__ = [
    "history",
    "open_rooms",
    "presence_shown",
    "replay",
    "room_for",
    "rooms_of",
    "socket_states",
]


def presence_shown(member: Member) -> bool:
    pref = ChatPreference.objects.filter(member=member).first()
    return pref.show_presence if pref else True


def rooms_of(member: Member) -> list[dict]:
    """Every room the member is in, with its number and their read marker (the socket's
    ``rooms`` frame). Two queries."""
    rooms = list(
        Room.objects.for_member(member).order_by("pk").values("pk", "kind", "name", "last_seq")
    )
    read = dict(RoomMember.objects.filter(member=member).values_list("room_id", "last_read_seq"))
    return [
        {
            "id": room["pk"],
            "kind": room["kind"],
            "name": room["name"],
            "last_seq": room["last_seq"],
            "last_read_seq": read.get(room["pk"], 0),
        }
        for room in rooms
    ]


def open_rooms(member: Member, ids: list) -> tuple[list[dict], list]:
    """The rooms among ``ids`` the member is in (with number and read marker), and the rest."""
    wanted = {i for i in ids if isinstance(i, int) and not isinstance(i, bool)}
    rooms = list(Room.objects.for_member(member).filter(pk__in=wanted))
    read = dict(
        RoomMember.objects.filter(member=member, room__in=rooms).values_list(
            "room_id", "last_read_seq"
        )
    )
    opened = [
        {"id": room.pk, "last_seq": room.last_seq, "last_read_seq": read.get(room.pk, 0)}
        for room in rooms
    ]
    found = {room.pk for room in rooms}
    return opened, [i for i in ids if i not in found]


def replay(room: Room, since: int) -> dict:
    """Each message changed after ``since``, once, in order of change, up to a page.

    The room's number is read first: every change up to it has committed (numbers are taken
    under the room lock), so a replay that ends there has no holes. ``upto`` is that number
    even when ``since`` is beyond it (a confused client): answering ``upto = since`` made it
    drop the room's next messages as duplicates.
    """
    upto = Room.objects.values_list("last_seq", flat=True).get(pk=room.pk)
    rows = list(Message.objects.changed_since(room, since).filter(rev__lte=upto)[: REPLAY_PAGE + 1])
    more = len(rows) > REPLAY_PAGE
    rows = rows[:REPLAY_PAGE]
    if more:
        upto = rows[-1].rev
    return {
        "type": "replay",
        "room": room.pk,
        "since": since,
        "upto": upto,
        "more": more,
        "messages": [m.as_frame() for m in rows],
    }


def history(room: Room, before: int, limit: int) -> dict:
    """Up to ``limit`` messages before ``before``, oldest first, and whether there are more."""
    rows = list(Message.objects.before(room, before)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return {
        "type": "history",
        "room": room.pk,
        "before": before,
        "more": more,
        "messages": [m.as_frame() for m in rows],
    }


@dataclass(frozen=True)
class SocketCheck:
    """What the periodic re-check asks about one socket."""

    user_id: int
    session_key: str
    member_id: int
    rooms: tuple[int, ...]


def signed_in_sessions(checks: list[SocketCheck]) -> set[tuple[str, int]]:
    """The (session key, user id) pairs whose session still exists, is unexpired and belongs
    to that user: one query with a database-backed session engine, one load per session
    otherwise."""
    store_class = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    wanted = {(c.session_key, c.user_id) for c in checks if c.session_key}
    if hasattr(store_class, "get_model_class"):  # db and cached_db keep every session in a table
        rows = store_class.get_model_class().objects.filter(
            session_key__in={key for key, _ in wanted}, expire_date__gt=timezone.now()
        )
        owners = {row.session_key: store_class().decode(row.session_data) for row in rows}
    else:
        owners = {key: store_class(key).load() for key, _ in wanted}
    return {
        (key, user) for key, user in wanted if owners.get(key, {}).get("_auth_user_id") == str(user)
    }


def socket_states(checks: list[SocketCheck]) -> list[dict]:
    """For each socket: is its login still good, and the current number of each of its rooms
    the member may still use. A fixed handful of queries for all the sockets of a process."""
    active = set(
        get_user_model()
        .objects.filter(pk__in={c.user_id for c in checks}, is_active=True)
        .values_list("pk", flat=True)
    )
    sessions = signed_in_sessions([c for c in checks if c.user_id in active])
    pairs = {(c.member_id, room) for c in checks for room in c.rooms}
    allowed = rooms_members_are_in(pairs)
    numbers = dict(
        Room.objects.filter(pk__in={room for _, room in allowed}).values_list("pk", "last_seq")
    )
    states = []
    for check in checks:
        if (check.session_key, check.user_id) not in sessions:
            states.append({"signed_in": False, "rooms": {}})
            continue
        rooms = {r: numbers[r] for r in check.rooms if (check.member_id, r) in allowed}
        states.append({"signed_in": True, "rooms": rooms})
    return states


def room_list(member: Member) -> list[Room]:
    """The member's rooms, most recently active first, each annotated with ``unread``,
    ``last_body``, ``last_sender``, ``last_at``, ``last_deleted`` and ``other_name`` (the other
    person in a direct conversation). A fixed number of queries whatever the number of rooms.
    """
    in_room = Message.objects.filter(room=OuterRef("pk"))
    last = in_room.order_by("-seq")
    others = RoomMember.objects.filter(room=OuterRef("pk")).exclude(member=member)
    return list(
        with_unread(Room.objects.for_member(member), member)
        .annotate(
            last_body=Subquery(last.values("body")[:1]),
            last_sender=Subquery(last.values("sender__name")[:1]),
            last_at=Subquery(last.values("created_at")[:1]),
            last_deleted=Subquery(last.values("deleted_at")[:1]),
            other_name=Subquery(others.order_by("member__name").values("member__name")[:1]),
        )
        .order_by(F("last_at").desc(nulls_last=True), "name", "pk")
    )


def with_unread(rooms: QuerySet[Room], member: Member) -> QuerySet[Room]:
    """Rooms annotated with ``read_upto`` (the member's read marker) and ``unread``: messages
    others wrote after it that are not deleted (one subquery each, not a join)."""
    mine = RoomMember.objects.filter(room=OuterRef("pk"), member=member)
    unread = (
        Message.objects.filter(
            room=OuterRef("pk"), seq__gt=OuterRef("read_upto"), deleted_at__isnull=True
        )
        .exclude(sender=member)
        .values("room")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rooms.annotate(
        read_upto=Coalesce(Subquery(mine.values("last_read_seq")[:1]), 0),
        unread=Coalesce(Subquery(unread[:1]), 0),
    )


def cohort_room(member: Member, cohort_id: int) -> Room | None:
    """The cohort's room with the member's ``unread`` count, if they are in it (one query)."""
    return with_unread(Room.objects.for_member(member), member).filter(cohort_id=cohort_id).first()


def room_title(room: Room) -> str:
    if room.kind == "direct":
        return getattr(room, "other_name", None) or "Direct conversation"
    return room.name or str(room)


def room_page(member: Member, room: Room, limit: int) -> dict:
    """The room's latest messages and the member's read marker, for the first render."""
    state = RoomMember.objects.filter(room=room, member=member).values_list(
        "last_read_seq", "receipts"
    )
    rows = list(Message.objects.before(room, room.last_seq + 1)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    rows.reverse()
    return {
        "chat_messages": rows,
        "more_history": more,
        "read_upto": (upto := (mine := state.first() or (0, True))[0]),
        "receipts": mine[1],
        "first_unread_seq": next(
            (m.seq for m in rows if m.seq > upto and m.sender_id != member.pk), None
        ),
        "room_title": room_title(room),
    }
