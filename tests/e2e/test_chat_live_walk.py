"""Chat as it reads live and after a reload (issue 17, item 8): a message's time is the same
text both ways, in the member's own zone whatever the browser's zone and language, and the
room list follows messages in the other rooms. Served by a real uvicorn (WebSockets)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from messaging.models import Message
from messaging.services.chat import ensure_cohort_rooms, start_direct
from network.timezones import clock, zone
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_chat_walk import asgi_server, person  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


TOKYO = "Asia/Tokyo"  # the browsers' zone (and German their language) unless said otherwise:
# the page's times must follow neither


def send(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send", exact=True).click()


def connected(page: Page) -> None:
    expect(page.locator("#chat-show-presence")).to_be_enabled()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_message_shows_the_same_time_live_and_after_a_reload(world, person, phone):  # noqa: F811
    world.member.time_zone = "America/Los_Angeles"
    world.member.save()
    for who in (world.member, world.mate):
        ensure_cohort_rooms(member=who)
    room = world.cohort.chat_room.pk
    ada = person(world.member.user, browser_zone=TOKYO, phone=phone)
    bo = person(world.mate.user, browser_zone="Europe/Paris")
    ada.goto(f"/chat/rooms/{room}/")
    bo.goto(f"/chat/rooms/{room}/")
    connected(ada)
    connected(bo)

    send(bo, "Are we still on for three?")
    live = ada.locator(".chat-message", has_text="Are we still on for three?").locator("time")
    expect(live).to_have_count(1)
    live_text = live.inner_text()
    stored = Message.objects.get(body="Are we still on for three?").created_at
    assert live_text == clock(stored.astimezone(zone("America/Los_Angeles")))
    assert_accessible(ada)

    ada.reload()
    again = ada.locator(".chat-message", has_text="Are we still on for three?").locator("time")
    assert again.inner_text() == live_text
    # Ada's own message too, as her tab draws it and as the page does.
    send(ada, "Yes, see you then")
    mine = ada.locator(".chat-message", has_text="Yes, see you then").locator("time")
    expect(mine).to_have_count(1)
    mine_live = mine.inner_text()
    ada.reload()
    assert (
        ada.locator(".chat-message", has_text="Yes, see you then").locator("time").inner_text()
        == mine_live
    )


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_message_in_another_room_updates_that_rooms_entry_in_the_list(world, person, phone):  # noqa: F811
    for who in (world.member, world.mate):
        ensure_cohort_rooms(member=who)
    direct = start_direct(member=world.mate, other=world.member)
    ada, bo = (
        person(world.member.user, browser_zone=TOKYO, phone=phone),
        person(world.mate.user, browser_zone=TOKYO),
    )
    rooms_control = ada.locator("summary", has_text="Rooms")
    ada.goto(f"/chat/rooms/{world.cohort.chat_room.pk}/")
    bo.goto(f"/chat/rooms/{direct.pk}/")
    connected(ada)
    connected(bo)
    rooms = ada.locator("#chat-room-list > li")
    entry = ada.locator("#chat-room-list li", has_text="Bo Mate")
    expect(entry.locator(".chat-room__last")).to_have_text("No messages yet")

    long_text = "Quick question about the permitting memo " + "and its annex " * 4
    send(bo, long_text)
    if phone:  # the list is folded away: its control counts what waits in the other rooms
        expect(rooms_control).to_have_text("Rooms 1 unread")
        rooms_control.click()
    expect(entry.locator(".chat-room__unread")).to_have_text("1 unread")
    expect(entry.locator(".chat-room__last")).to_contain_text("Bo Mate: Quick question")
    expect(rooms.first).to_contain_text("Bo Mate")  # the latest activity comes first
    if not phone:  # the header's links are behind "Menu" on a phone
        expect(ada.get_by_role("link", name="Chat 1 unread", exact=True)).to_have_count(1)
    live_line = entry.locator(".chat-room__last").inner_text()
    assert_accessible(ada)

    ada.reload()
    if phone:
        expect(rooms_control).to_have_text("Rooms 1 unread")
        rooms_control.click()
    entry = ada.locator("#chat-room-list li", has_text="Bo Mate")
    assert entry.locator(".chat-room__last").inner_text() == live_line
    expect(entry.locator(".chat-room__unread")).to_have_text("1 unread")
    expect(rooms.first).to_contain_text("Bo Mate")
