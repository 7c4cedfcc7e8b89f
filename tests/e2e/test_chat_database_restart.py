"""A member sends a chat message while PostgreSQL restarts: the page says the chat is briefly
unavailable, keeps the message as pending on a socket that stays up, and sends it by itself
once the database is back, shown once. Against a real uvicorn and a real PostgreSQL restart,
at phone width, with axe and Equal Access on the page in that state."""

from __future__ import annotations

import pytest
from django.db import connection
from playwright.sync_api import expect

from messaging.models import Message
from messaging.services.chat import ensure_cohort_rooms
from tests.e2e import test_chat_walk
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_chat_walk import log, send
from tests.load.test_database_restart import Postgres

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
# The chat walk's real uvicorn and signed-in browser pages.
asgi_server, person = test_chat_walk.asgi_server, test_chat_walk.person


def test_a_message_sent_while_the_database_restarts_waits_and_then_goes_once(world, person):
    ensure_cohort_rooms(member=world.member)
    room = world.cohort.chat_room.pk
    ada = person(world.member.user)
    ada.set_viewport_size(PHONE)
    ada.goto(f"/chat/rooms/{room}/")
    expect(ada.locator("#chat-show-presence")).to_be_enabled()  # socket is up
    postgres = Postgres()
    connection.close()  # this process's own connection would not survive the restart

    postgres.stop()
    try:
        send(ada, "Sent while the database restarts")
        expect(ada.locator("#chat-announcer")).to_contain_text("Chat is briefly unavailable")
        expect(log(ada).locator(".chat-message--pending")).to_have_count(1)
        expect(ada.locator("#chat-offline")).to_be_hidden()  # the socket stayed open
        assert_accessible(ada)
    finally:
        postgres.start()

    expect(log(ada).locator(".chat-message--pending")).to_have_count(0, timeout=20_000)
    expect(log(ada).get_by_text("Sent while the database restarts")).to_have_count(1)
    assert Message.objects.filter(body="Sent while the database restarts").count() == 1
