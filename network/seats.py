"""Seats: who held a role before, and the introductions between outgoing and incoming holders.

A seat is a title at an agency (or organisation). Each role can name the role it took over
(``Position.succeeds``); both holders' profiles then introduce them to each other, but only to
viewers who may see both profiles.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from network import access
from network.models import Agency, Member, Position


def previous_holder_role(
    *, viewer, holder: Member, name: str, title: str, agency: Agency | None, organisation: str
) -> Position:
    """The role in this seat of the member called ``name``, among the members the viewer may see.

    People are named, not picked by id, so the form works without JavaScript; two members with
    the same name are told apart by which of them held a role in this seat. Raises
    ValidationError with a message for the person filling in the form.
    """
    named = access.visible_members(viewer).filter(name__iexact=name).exclude(pk=holder.pk)
    seat = Position.objects.in_seat(
        title=title, agency_id=agency.pk if agency else None, organisation=organisation
    )
    roles = list(seat.filter(member__in=named).select_related("member", "agency")[:10])
    if not roles:
        if named.exists():
            where = agency.name if agency else organisation or title
            raise ValidationError(
                f"{name} has no role at {where} in their history yet. They can add it under "
                "“My roles”; then name them here again."
            )
        raise ValidationError(f"No member you can see is called “{name}”.")
    if len({role.member_id for role in roles}) > 1:
        raise ValidationError(
            f"Several members called {name} held this seat. Ask a network manager to link it."
        )
    return roles[0]


def history_with_introductions(viewer, member: Member) -> list[Position]:
    """The member's roles, each with the predecessor and successors the viewer may see.

    Sets ``visible_predecessor`` (a Member or None) and ``visible_successors`` (Members) on
    every role. A fixed number of queries, however long the history.
    """
    positions = list(
        member.positions.select_related("agency", "succeeds__member").prefetch_related(
            "successors__member"
        )
    )
    linked = {p.succeeds.member_id for p in positions if p.succeeds}
    linked |= {s.member_id for p in positions for s in p.successors.all()}
    visible: set[int] = set()
    if linked:
        rows = access.visible_members(viewer).filter(pk__in=linked)
        visible = set(rows.values_list("pk", flat=True))
    for position in positions:
        before = position.succeeds
        position.visible_predecessor = (
            before.member if before and before.member_id in visible else None
        )
        position.visible_successors = [
            s.member for s in position.successors.all() if s.member_id in visible
        ]
    return positions
