"""Chat messages carry their sender's avatar: the one a message arrives with live (drawn by
static/js/chat.js) is the one the server draws for the same message after a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from messaging.services.chat import ensure_cohort_rooms
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_chat_walk import asgi_server, log, person, send  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

DRAWN = "a => [a.className, a.textContent, a.getAttribute('aria-hidden')]"


def test_a_live_message_has_the_avatar_a_reload_shows(world, person):  # noqa: F811
    ensure_cohort_rooms(member=world.member)
    ensure_cohort_rooms(member=world.mate)
    room = world.cohort.chat_room.pk
    ada, bo = person(world.member.user), person(world.mate.user)
    ada.goto(f"/chat/rooms/{room}/")
    bo.goto(f"/chat/rooms/{room}/")
    expect(ada.locator("#chat-show-presence")).to_be_enabled()
    expect(bo.locator("#chat-show-presence")).to_be_enabled()

    send(bo, "Hi Ada")
    live = log(ada).locator(".chat-message", has_text="Hi Ada").locator(".convene-avatar")
    expect(live).to_have_text("BM")
    drawn = live.evaluate(DRAWN)
    assert_accessible(ada)

    ada.reload()
    again = log(ada).locator(".chat-message", has_text="Hi Ada").locator(".convene-avatar")
    assert (
        again.evaluate(DRAWN)
        == drawn
        == [
            f"convene-avatar convene-avatar--sm convene-avatar--hue-{world.mate.pk % 8}",
            "BM",
            "true",
        ]
    )
