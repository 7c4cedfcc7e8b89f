"""A cohort's page is its home: board, chat room, upcoming events, announcements and roster one
click away, each with what is new for the member, in the same queries however much there is."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import EventStatus
from events.services import rsvp
from messaging.announcements.models import Audience
from messaging.announcements.services import create_announcement, dismiss_announcement
from messaging.discussions.models import Board
from messaging.discussions.services import ensure_cohort_boards, mark_read, start_thread
from messaging.services.chat import ensure_cohort_rooms, send_message, start_direct
from tests.events.builders import make_event
from tests.factories import MemberFactory, MembershipFactory


@pytest.fixture
def spaces(world):
    ensure_cohort_boards([world.cohort, world.other_cohort])
    for who in (world.member, world.mate, world.manager, world.outsider):
        ensure_cohort_rooms(member=who)
    return world


def hub(page: str) -> dict[str, tuple[str, str]]:
    """Each place the hub links to, with the words under its name (tags stripped)."""
    nav = re.search(r'<nav class="convene-hub".*?</nav>', page, re.S)
    assert nav, page
    links = re.findall(
        r'<a class="convene-hub__link" href="([^"]+)"><span class="convene-hub__name">([^<]+)'
        r'</span> <span class="convene-hub__news">(.*?)</span></a>',
        nav.group(0),
        re.S,
    )
    return {name: (href, re.sub(r"<[^>]+>", "", news)) for href, name, news in links}


def chat(world, n: int, room=None) -> None:
    room = room or world.cohort.chat_room
    for i in range(n):
        send_message(member=world.mate, room=room, body=f"Hello {i}", client_id=f"c{i}-{n}")


def test_a_member_sees_what_is_new_in_each_place_of_their_cohort(spaces, client_for):
    world = spaces
    board = Board.objects.get(cohort=world.cohort)
    read = start_thread(board=board, author=world.mate, title="Read one", body="Old news")
    mark_read(member=world.member, thread=read, number=1)
    start_thread(board=board, author=world.mate, title="New one", body="Fresh")
    chat(world, 3)
    chat(world, 2, room=start_direct(member=world.mate, other=world.member))  # not the cohort's
    answered, _ = (make_event(world.cohort, title=f"Session {n}") for n in (1, 2))
    rsvp(event=answered, member=world.member, going=True)
    make_event(world.cohort, title="Last year", start=timezone.now() - timedelta(days=30))
    make_event(world.cohort, title="Called off", status=EventStatus.CANCELLED)
    make_event(world.other_cohort, title="Elsewhere")
    to_us = create_announcement(
        author=world.manager, audience=Audience.COHORT, cohort=world.cohort, title="Hi", body="x"
    )
    gone = create_announcement(
        author=world.manager, audience=Audience.COHORT, cohort=world.cohort, title="Old", body="y"
    )
    dismiss_announcement(announcement=gone, member=world.member)
    create_announcement(
        author=world.other_manager,
        audience=Audience.COHORT,
        cohort=world.other_cohort,
        title="Not for you",
        body="z",
    )

    page = client_for("member").get(reverse("network:cohort", args=[world.cohort.slug])).text

    assert hub(page) == {
        "Discussion board": (reverse("discussions:board", args=[board.slug]), "1 unread post"),
        "Chat room": (
            reverse("messaging:room", args=[world.cohort.chat_room.pk]),
            "3 unread messages",
        ),
        "Upcoming events": (f"/events/?cohort={world.cohort.slug}", "2 upcoming, 1 to answer"),
        "Announcements": ("#announcements-heading", "1 new"),
        "Roster": ("#roster-heading", "3 members"),
    }
    assert to_us.title in page and "Not for you" not in page and ">Old<" not in page
    assert "Session 2</bdi></a>" in page and "Not answered yet" in page
    assert "Elsewhere" not in page and "Called off" not in page


def test_a_quiet_cohort_says_nothing_is_new(spaces, client_for):
    page = client_for("member").get(reverse("network:cohort", args=[spaces.cohort.slug])).text
    assert {name: news for name, (_, news) in hub(page).items()} == {
        "Discussion board": "Nothing unread",
        "Chat room": "Nothing unread",
        "Upcoming events": "None scheduled",
        "Announcements": "Nothing new",
        "Roster": "3 members",
    }


def test_an_administrator_outside_the_cohort_gets_no_chat_link(spaces, client_for):
    page = client_for("admin").get(reverse("network:cohort", args=[spaces.cohort.slug])).text
    assert "Chat room" not in hub(page)
    assert "Discussion board" in hub(page)


def test_the_cohort_page_takes_the_same_queries_however_much_is_new(
    spaces, client_for, django_assert_num_queries
):
    world = spaces
    client = client_for("member")
    url = reverse("network:cohort", args=[world.cohort.slug])
    board = Board.objects.get(cohort=world.cohort)
    start_thread(board=board, author=world.mate, title="One", body="x")
    chat(world, 1)
    make_event(world.cohort)
    create_announcement(
        author=world.manager, audience=Audience.COHORT, cohort=world.cohort, title="A", body="x"
    )
    client.get(url)  # warms the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        start_thread(board=board, author=world.mate, title=f"T{n}", body="x")
        make_event(world.cohort, title=f"E{n}")
        create_announcement(
            author=world.manager,
            audience=Audience.PROGRAM,
            program=world.cohort.program,
            title=f"P{n}",
            body="x",
        )
        MembershipFactory(cohort=world.cohort, member=MemberFactory())
    chat(world, 30)
    with django_assert_num_queries(len(few)):
        page = client.get(url).text
    assert hub(page)["Chat room"][1] == "31 unread messages"
    assert hub(page)["Upcoming events"][1] == "16 upcoming, 16 to answer"
    assert hub(page)["Roster"][1] == "18 members"
