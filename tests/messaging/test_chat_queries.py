"""The batched re-check query: one answer per socket, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.queries import SocketCheck, socket_states
from messaging.services.chat import ensure_cohort_rooms, start_direct
from tests.messaging.conftest import session_cookie

pytestmark = pytest.mark.django_db


def test_socket_states_answers_each_socket_in_fixed_queries(world):
    ensure_cohort_rooms(member=world.member)
    ensure_cohort_rooms(member=world.outsider)
    cohort_room = world.cohort.chat_room.pk
    other_room = world.other_cohort.chat_room.pk
    direct = start_direct(member=world.member, other=world.mate).pk

    def check(role: str, rooms: tuple[int, ...]) -> SocketCheck:
        member = getattr(world, role)
        return SocketCheck(member.user_id, session_cookie(member.user), member.pk, rooms)

    few = [check("member", (cohort_room, direct))]
    many = [
        *few,
        check("mate", (cohort_room, direct, other_room)),
        check("outsider", (other_room, cohort_room)),
        SocketCheck(world.member.user_id, "no-such-session", world.member.pk, (cohort_room,)),
    ]
    with CaptureQueriesContext(connection) as one:
        socket_states(few)
    with CaptureQueriesContext(connection) as four:
        states = socket_states(many)
    assert len(four) == len(one)
    assert states[0] == {"signed_in": True, "rooms": {cohort_room: 0, direct: 0}}
    assert states[1] == {"signed_in": True, "rooms": {cohort_room: 0, direct: 0}}
    assert states[2]["rooms"].keys() == {other_room}
    assert states[3] == {"signed_in": False, "rooms": {}}
