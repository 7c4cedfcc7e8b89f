"""On a 390 by 844 phone (issue 17, item 9): a chat room's messages and message box fill the
first screen, with the rooms behind a "Rooms" control; the directory's first result is on the
first screen, with its filters behind a "Filters" control; and on a wide screen the header stays
on one line when its badges show. Both accessibility engines on each page."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from playwright.sync_api import Locator, Page, expect

from messaging.discussions.models import Notification, NotificationKind
from messaging.services.chat import ensure_cohort_rooms, send_message, start_direct
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_first_hour_walk import person  # noqa: F401 (a fixture)
from tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN = 844


def on_first_screen(box: Locator) -> None:
    expect(box).to_be_visible()
    bounds = box.bounding_box()
    assert bounds is not None
    assert bounds["y"] >= 0 and bounds["y"] + bounds["height"] <= SCREEN, bounds


def off_the_loop(work: Callable[[], object]) -> None:
    """Run a service in a thread of its own: its broadcast after commit cannot run inside
    Playwright's event loop."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()


def chatter(sender, room, n: int, text: str = "Message number") -> None:
    def send_all() -> None:
        for i in range(n):
            send_message(member=sender, room=room, body=f"{text} {i}", client_id=f"{text}{i}")

    off_the_loop(send_all)


def test_on_a_phone_a_chat_room_opens_on_its_messages_and_message_box(world, person):  # noqa: F811
    for who in (world.member, world.mate):
        ensure_cohort_rooms(member=who)
    room = world.cohort.chat_room
    chatter(world.mate, room, 30)
    start_direct(member=world.mate, other=world.member)
    page: Page = person(world.member.user, phone=True)
    page.goto(f"/chat/rooms/{room.pk}/")
    page.screenshot(path="/tmp/phone-chat.png")
    on_first_screen(page.get_by_label("Message", exact=True))
    on_first_screen(page.get_by_role("button", name="Send", exact=True))
    on_first_screen(page.locator("#chat-log").get_by_text("Message number 29"))
    expect(page.get_by_role("link", name="Bo Mate")).to_be_hidden()
    assert_accessible(page)

    page.locator("summary", has_text="Rooms").click()
    page.get_by_role("link", name="Bo Mate").click()
    expect(page.get_by_role("heading", name="Bo Mate")).to_be_visible()
    on_first_screen(page.get_by_label("Message", exact=True))
    page.locator("summary", has_text="Rooms").click()
    expect(page.get_by_role("combobox", name="Person")).to_be_visible()
    assert_accessible(page)


def test_on_a_wide_screen_the_rooms_stay_beside_the_messages(world, person):  # noqa: F811
    ensure_cohort_rooms(member=world.member)
    page: Page = person(world.member.user)
    page.goto(f"/chat/rooms/{world.cohort.chat_room.pk}/")
    expect(page.get_by_role("link", name="Class of 2026")).to_be_visible()
    expect(page.get_by_role("combobox", name="Person")).to_be_visible()
    expect(page.locator("summary", has_text="Rooms")).to_be_hidden()


def test_on_a_phone_the_first_member_found_is_on_the_first_screen(world, person):  # noqa: F811
    for n in range(5):
        MembershipFactory(cohort=world.cohort, member=MemberFactory(name=f"Peer Person {n}"))
    page: Page = person(world.member.user, phone=True)
    page.goto("/directory/")
    page.screenshot(path="/tmp/phone-directory.png")
    first = page.locator(".usa-card-group > li").first
    on_first_screen(first)
    search = page.get_by_label("Search", exact=True)
    on_first_screen(search)
    filters = page.get_by_text("Filters", exact=True).bounding_box()
    below = search.bounding_box()
    assert filters and below and filters["y"] >= below["y"] + below["height"]  # not over the box
    expect(page.get_by_label("Sort by")).to_be_hidden()
    assert_accessible(page)

    page.get_by_label("Search", exact=True).fill("Peer")
    page.get_by_role("button", name="Search").click()
    on_first_screen(page.locator(".usa-card-group > li").first)  # a search alone: still folded

    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Sort by")).to_be_visible()
    page.get_by_label("Member type").select_option(index=1)
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".usa-card-group > li").first).to_be_visible()
    expect(page.get_by_label("Member type")).to_be_visible()  # a filter in use stays
    assert_accessible(page)


def test_on_a_wide_screen_the_header_is_one_line_with_its_badges(world, person):  # noqa: F811
    direct = start_direct(member=world.mate, other=world.admin)
    chatter(world.mate, direct, 12, text="Ping")
    for i in range(25):  # and the direct messages' own notification
        Notification.objects.create(
            recipient=world.admin, kind=NotificationKind.MENTION, summary=f"n{i}", url="/"
        )
    page: Page = person(world.admin.user)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    nav = page.get_by_role("navigation", name="Primary")
    expect(nav.get_by_role("link", name="Chat 12 unread")).to_be_visible()
    expect(nav.get_by_role("link", name="Notifications 26 unread")).to_be_visible()
    page.screenshot(path="/tmp/wide-header.png")
    tops = {round(item.bounding_box()["y"]) for item in nav.locator(".usa-nav__primary > li").all()}
    assert len(tops) == 1, tops
    sign_out = nav.get_by_role("button", name="Sign out").bounding_box()
    assert sign_out and sign_out["height"] < 60, sign_out
    assert_accessible(page)
