"""A cohort comes with its board and room, a membership with its place in the room: made by
the network's services (through network.signals), never by someone opening a page."""

from __future__ import annotations

from importlib import import_module

import pytest
from asgiref.sync import sync_to_async
from django.apps import apps

from messaging.discussions.models import Board
from messaging.models import Room, RoomMember
from network.services import cohorts, invitations
from tests.factories import (
    CohortFactory,
    InvitationFactory,
    MemberFactory,
    MembershipFactory,
    ProgramFactory,
    join_cohort,
)
from tests.messaging.conftest import open_socket, session_cookie


def in_room(member, cohort) -> bool:
    return RoomMember.objects.filter(member=member, room__cohort=cohort).exists()


@pytest.mark.django_db
def test_a_new_cohort_has_its_board_and_room_at_once(world):
    cohort = cohorts.create_cohort(
        program=ProgramFactory(), name="Deputy Secretaries", created_by=world.manager
    )
    board = Board.objects.get(cohort=cohort)
    room = Room.objects.get(cohort=cohort)
    assert board.name == room.name == "Deputy Secretaries" and room.kind == "cohort"
    assert in_room(world.manager, cohort)


@pytest.mark.django_db
def test_adding_and_removing_a_member_gives_and_takes_their_place_in_the_room(world):
    cohort = cohorts.create_cohort(program=ProgramFactory(), name="Circle", created_by=world.admin)
    membership = join_cohort(cohort, world.member)
    assert in_room(world.member, cohort)
    cohorts.remove_member(membership=membership, actor=world.admin.user)
    assert not in_room(world.member, cohort)
    assert Room.objects.filter(cohort=cohort).exists()


@pytest.mark.django_db
def test_accepting_an_invitation_gives_a_place_in_the_room(world):
    cohort = cohorts.create_cohort(program=ProgramFactory(), name="Circle", created_by=world.admin)
    newcomer = MemberFactory(name="Gil New")
    invitation = InvitationFactory(cohort=cohort, email=newcomer.user.email)
    invitations.accept_invitation(invitation=invitation, user=newcomer.user)
    assert in_room(newcomer, cohort)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_client_that_only_speaks_the_socket_finds_its_cohort_room(world, layer):
    def join() -> tuple[int, str]:
        cohort = cohorts.create_cohort(
            program=ProgramFactory(), name="Circle", created_by=world.admin
        )
        join_cohort(cohort, world.member)
        return Room.objects.get(cohort=cohort).pk, session_cookie(world.member.user)

    room, cookie = await sync_to_async(join)()
    connected, socket = await open_socket(cookie)
    assert connected
    await socket.recv_type("hello")
    await socket.send(type="rooms", ref="r")
    listed = await socket.recv_type("rooms")
    assert listed["ref"] == "r"
    assert {"id": room, "kind": "cohort", "name": "Circle", "last_seq": 0, "last_read_seq": 0} in (
        listed["rooms"]
    )
    await socket.send(type="subscribe", rooms=[room])
    subscribed = await socket.recv_type("subscribed")
    assert subscribed["rooms"] == [{"id": room, "last_seq": 0, "last_read_seq": 0}]
    await socket.close()


@pytest.mark.django_db
def test_the_data_migrations_give_existing_cohorts_their_board_room_and_places():
    """What existed before (made outside the services) gets what the services now make."""
    cohort = CohortFactory(name="Old Circle")
    member = MemberFactory()
    MembershipFactory(cohort=cohort, member=member)
    rooms = import_module("messaging.migrations.0003_cohort_rooms_for_existing_cohorts")
    boards = import_module("messaging.discussions.migrations.0008_boards_for_existing_cohorts")
    for _ in range(2):  # running twice changes nothing more
        rooms.open_cohort_rooms(apps, None)
        boards.open_cohort_boards(apps, None)
    assert Board.objects.filter(cohort=cohort).count() == 1
    assert Room.objects.filter(cohort=cohort).count() == 1
    assert RoomMember.objects.filter(member=member, room__cohort=cohort).count() == 1
