"""Whom a member may talk to, and which rooms they are in: one rule each, asked everywhere."""

from __future__ import annotations

import pytest

from messaging.access.chat import can_converse_with
from messaging.models import Room, RoomKind
from messaging.models.chat import rooms_members_are_in
from messaging.services.chat import ChatRefused, ensure_cohort_rooms, start_direct
from network.models import CohortMembership, Visibility

pytestmark = pytest.mark.django_db


def test_a_member_may_talk_to_a_cohort_mate_but_not_to_themselves(world):
    assert can_converse_with(world.member, world.mate)
    assert not can_converse_with(world.member, world.member)


def test_nobody_may_open_a_conversation_with_someone_hidden(world):
    world.outsider.visibility = Visibility.HIDDEN
    world.outsider.save()
    assert not can_converse_with(world.member, world.outsider)
    with pytest.raises(ChatRefused):
        start_direct(member=world.member, other=world.outsider)
    assert not Room.objects.filter(kind=RoomKind.DIRECT).exists()


def test_the_sockets_recheck_agrees_with_the_pages_on_every_member_and_room(world):
    for role in ("member", "mate", "outsider"):
        ensure_cohort_rooms(member=getattr(world, role))
    direct = start_direct(member=world.member, other=world.mate)
    CohortMembership.objects.filter(member=world.mate, cohort=world.cohort).delete()
    people = [world.member, world.mate, world.outsider, world.admin]
    rooms = [world.cohort.chat_room.pk, world.other_cohort.chat_room.pk, direct.pk, 10**9]
    pairs = {(person.pk, room) for person in people for room in rooms}
    on_pages = {
        (person.pk, room)
        for person in people
        for room in rooms
        if Room.objects.for_member(person).filter(pk=room).exists()
    }
    assert rooms_members_are_in(pairs) == on_pages
    assert (world.member.pk, direct.pk) in on_pages
    assert (world.mate.pk, world.cohort.chat_room.pk) not in on_pages


def test_asking_about_no_sockets_asks_the_database_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rooms_members_are_in(set()) == set()
