"""Who may use which chat room and whom a member may start a conversation with."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import QuerySet
from django.http import Http404

from messaging.models import Room
from network.access import AnyUser, member_for, mfa_satisfied, visible_members
from network.models import Member


def chat_member_for(user: AnyUser) -> Member | None:
    """The member behind an active, signed-in user; chat has nobody else to talk to."""
    if not user.is_authenticated or not user.is_active:
        return None
    return member_for(user)


def socket_member_for(user: AnyUser, session: SessionBase) -> Member | None:
    """The member a chat socket's handshake speaks for, or None to refuse it: as
    chat_member_for, and for managers and administrators only once this session has passed
    MFA (pages refuse them too, through network.middleware)."""
    member = chat_member_for(user)
    if member is None or not mfa_satisfied(user, session):
        return None
    return member


def room_for(member: Member, room_id: object) -> Room | None:
    """The room if the member takes part in it, else None (a missing room looks the same)."""
    if not isinstance(room_id, str | int | float):
        return None
    try:
        pk = int(room_id)
    except (ValueError, OverflowError):
        return None
    return Room.objects.for_member(member).filter(pk=pk).first()


def get_room_for(member: Member, room_id: object) -> Room:
    """The room, or 404 when it does not exist or the member is not in it."""
    room = room_for(member, room_id)
    if room is None:
        raise Http404("No such room.")
    return room


def conversable_members(member: Member) -> QuerySet[Member]:
    """Whom the member may open a conversation (direct or group) with: the people whose
    profile they can see, not themselves. The one rule for the chat page, its forms and the
    services."""
    return visible_members(member.user).exclude(pk=member.pk)


def can_converse_with(member: Member, other: Member) -> bool:
    return conversable_members(member).filter(pk=other.pk).exists()
