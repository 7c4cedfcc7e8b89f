"""The chat page and its plain-form fallbacks, as a member sees them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from messaging.models import Message, Room, RoomKind
from messaging.services.chat import (
    ChatRefused,
    create_group,
    ensure_cohort_rooms,
    mark_read,
    send_message,
    start_direct,
)
from network.models import Visibility
from tests.factories import MemberFactory, MembershipFactory
from tests.messaging.conftest import row_counts, signed_in_clients

pytestmark = pytest.mark.django_db


def cohort_room(world) -> Room:
    ensure_cohort_rooms(member=world.member)
    return world.cohort.chat_room


def test_room_list_shows_unread_count_and_last_message(world, client_for):
    room = cohort_room(world)
    for n in range(3):
        send_message(member=world.mate, room=room, body=f"hello {n}", client_id=f"c{n}")
    page = client_for("member").get(reverse("messaging:chat")).content.decode()
    assert "Class of 2026" in page
    assert 'data-unread="3"' in page
    assert "Bo Mate: hello 2" in page


def test_reading_clears_the_unread_count(world, client_for):
    room = cohort_room(world)
    send_message(member=world.mate, room=room, body="hi", client_id="c")
    mark_read(member=world.member, room=room, seq=1)
    page = client_for("member").get(reverse("messaging:chat")).content.decode()
    assert 'data-unread="0"' in page


def test_message_text_is_escaped_and_links_are_clickable(world, client_for):
    room = cohort_room(world)
    send_message(
        member=world.mate,
        room=room,
        body="<script>alert(1)</script> see https://example.gov/a?b=1",
        client_id="x",
    )
    page = client_for("member").get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://example.gov/a?b=1"' in page


def test_unread_marker_sits_before_the_first_unread_message(world, client_for):
    room = cohort_room(world)
    for n in range(3):
        send_message(member=world.mate, room=room, body=f"m{n}", client_id=f"c{n}")
    mark_read(member=world.member, room=room, seq=1)
    page = client_for("member").get(reverse("messaging:room", args=[room.pk])).content.decode()
    log = page[page.index('id="chat-log"') :]
    assert log.index(">m0<") < log.index("chat-unread-marker") < log.index(">m1<")


def chat_page_queries(world, client, django_assert_num_queries, rooms: int) -> None:
    for n in range(rooms):
        other = MemberFactory()
        room = start_direct(member=world.member, other=other)
        send_message(member=other, room=room, body="hi", client_id=f"r{n}")
    client.get(reverse("messaging:chat"))  # cohort rooms made on first visit
    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("messaging:chat"))
    assert response.status_code == 200


# No list of every member since the picker asks the autocomplete; the member comes with the
# request's user (network.backends).
QUERIES = 5


@pytest.mark.parametrize("rooms", [1, 30])
def test_chat_page_costs_the_same_for_one_room_or_many(
    rooms, world, client_for, django_assert_num_queries
):
    chat_page_queries(world, client_for("member"), django_assert_num_queries, rooms)


def test_sending_without_javascript_stores_once_per_client_id(world, client_for):
    room = cohort_room(world)
    client = client_for("member")
    url = reverse("messaging:send", args=[room.pk])
    for _ in range(2):
        response = client.post(url, {"body": "plain form", "client_id": "form-1"})
        assert response.status_code == 302
    assert list(Message.objects.values_list("body", "seq")) == [("plain form", 1)]


def test_direct_conversation_opens_once_for_both(world, client_for):
    response = client_for("member").post(
        reverse("messaging:start_direct"), {"member": world.mate.pk}
    )
    room = Room.objects.get(kind=RoomKind.DIRECT)
    assert response["Location"] == reverse("messaging:room", args=[room.pk]) + "?write=1"
    again = client_for("mate").post(reverse("messaging:start_direct"), {"member": world.member.pk})
    assert again["Location"] == response["Location"]


def test_without_javascript_a_typed_name_opens_the_conversation(world, client_for):
    response = client_for("member").post(reverse("messaging:start_direct"), {"name": "bo mat"})
    room = Room.objects.get(kind=RoomKind.DIRECT)
    assert response["Location"] == reverse("messaging:room", args=[room.pk]) + "?write=1"


def test_a_typed_name_nobody_has_opens_nothing_and_says_so(world, client_for):
    client = client_for("member")
    response = client.post(reverse("messaging:start_direct"), {"name": "Nobody Here"}, follow=True)
    assert "No member you can see is called “Nobody Here”." in response.content.decode()
    assert not Room.objects.filter(kind=RoomKind.DIRECT).exists()


def test_chat_page_lists_no_members_to_choose_from(world, client_for):
    page = client_for("member").get(reverse("messaging:chat")).content.decode()
    assert "<select" not in page and 'role="combobox"' in page
    assert world.mate.name not in page


def test_no_direct_conversation_with_someone_hidden(world, client_for):
    world.outsider.visibility = Visibility.HIDDEN
    world.outsider.save()
    response = client_for("member").post(
        reverse("messaging:start_direct"), {"member": world.outsider.pk}
    )
    assert response.status_code == 404
    assert not Room.objects.filter(kind=RoomKind.DIRECT).exists()


def test_group_conversation_holds_at_most_twelve(world):
    people = [MemberFactory() for _ in range(12)]
    with pytest.raises(ChatRefused):
        create_group(creator=world.member, name="Too many", members=people)
    room = create_group(creator=world.member, name="Dozen", members=people[:11])
    assert room.members.count() == 12


def test_cohort_room_follows_cohort_membership(world):
    room = cohort_room(world)
    newcomer = MemberFactory()
    assert not Room.objects.for_member(newcomer).filter(pk=room.pk).exists()
    MembershipFactory(cohort=world.cohort, member=newcomer)
    assert Room.objects.for_member(newcomer).filter(pk=room.pk).exists()


def test_header_badge_shows_the_remembered_total(world, client_for):
    room = cohort_room(world)
    ensure_cohort_rooms(member=world.mate)
    for n in range(2):
        send_message(member=world.mate, room=room, body="x", client_id=f"b{n}")
    request = RequestFactory().get("/")
    request.user = world.member.user
    assert client_for("member").get(reverse("messaging:unread")).json() == {"unread": 2}
    html = Template("{% load chat %}{% chat_unread_badge %}").render(Context({"request": request}))
    assert ">2<" in html and "> unread<" in html and "hidden" not in html
    request.user = world.mate.user
    html = Template("{% load chat %}{% chat_unread_badge %}").render(Context({"request": request}))
    assert "hidden" in html  # not counted yet: chat-badge.js asks


def test_opening_chat_creates_nothing(world, client_for):
    """Rooms and read state come with the cohort and the membership, never with a look."""
    clients = signed_in_clients(world, "member", "mate", "outsider")
    before = row_counts()
    for client in clients:
        assert client.get(reverse("messaging:chat")).status_code == 200
    assert row_counts() == before


def test_message_times_are_in_the_members_own_zone_and_the_page_names_it(world, client_for):
    room = cohort_room(world)
    send_message(member=world.mate, room=room, body="late call", client_id="t")
    Message.objects.update(created_at=datetime(2026, 11, 30, 22, 39, tzinfo=UTC))
    world.member.time_zone = "America/Los_Angeles"
    world.member.save()
    page = client_for("member").get(reverse("messaging:room", args=[room.pk])).content.decode()
    assert ">2:39 PM</time>" in page
    assert 'data-time-zone="America/Los_Angeles"' in page
