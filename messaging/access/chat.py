"""Who may use which chat room and whom a member may start a conversation with."""

from __future__ import annotations

from django.http import Http404

from messaging.models import Room
from network.access import member_for, mfa_satisfied, visible_members
from network.models import Member


def chat_member_for(user) -> Member | None:
    """The member behind an active, signed-in user; chat has nobody else to talk to."""
    if not user.is_authenticated or not user.is_active:
        return None
    return member_for(user)


def socket_member_for(user, session) -> Member | None:
    """The member a chat socket's handshake speaks for, or None to refuse it: as
    chat_member_for, and for managers and administrators only once this session has passed
    MFA (pages refuse them too, through network.middleware)."""
    member = chat_member_for(user)
    if member is None or not mfa_satisfied(user, session):
        return None
    return member


def room_for(member: Member, room_id: object) -> Room | None:
    """The room if the member takes part in it, else None (a missing room looks the same)."""
    try:
        room_id = int(room_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return Room.objects.for_member(member).filter(pk=room_id).first()


def get_room_for(member: Member, room_id: object) -> Room:
    """The room, or 404 when it does not exist or the member is not in it."""
    room = room_for(member, room_id)
    if room is None:
        raise Http404("No such room.")
    return room


def can_converse_with(user, other: Member) -> bool:
    """Members may open a conversation only with people whose profile they can see."""
    return other.user_id != user.pk and visible_members(user).filter(pk=other.pk).exists()
