"""Two people chat in their cohort room and a direct conversation; one drops offline and misses
nothing. The page is served by a real uvicorn (pytest-django's live server has no WebSockets)
against the test database, with axe on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from messaging.services.chat import ensure_cohort_rooms
from tests.conftest import sign_in as sign_in_client
from tests.e2e.conftest import PHONE, assert_accessible
from tests.load.servers import Server, database_url_of, running, server_env

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[Server]:
    with running(Server(server_env(database_url_of(connection.settings_dict)))) as (server,):
        yield server


@pytest.fixture
def person(browser, asgi_server) -> Iterator:
    """Signs a user in to a browser of their own against the uvicorn; optionally in a time
    zone and language of its own, or at phone size."""
    contexts: list[BrowserContext] = []

    def sign_in(user, *, browser_zone: str | None = None, phone: bool = False) -> Page:
        client = Client()
        sign_in_client(client, user)
        language = {"timezone_id": browser_zone, "locale": "de-DE"} if browser_zone else {}
        context = browser.new_context(
            base_url=asgi_server.url, bypass_csp=True, **language, **(PHONE if phone else {})
        )
        context.set_default_timeout(10_000)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": asgi_server.url}]
        )
        contexts.append(context)
        return context.new_page()

    yield sign_in
    for context in contexts:
        context.close()


def send(page: Page, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_label("Message", exact=True).press("Enter")


def log(page: Page):
    return page.locator("#chat-log")


def test_two_members_chat_and_the_one_who_was_offline_misses_nothing(world, person):
    ensure_cohort_rooms(member=world.member)
    ensure_cohort_rooms(member=world.mate)
    room = world.cohort.chat_room.pk
    ada, bo = person(world.member.user), person(world.mate.user)

    ada.goto(f"/chat/rooms/{room}/")
    bo.goto(f"/chat/rooms/{room}/")
    expect(ada.locator("#chat-show-presence")).to_be_enabled()  # socket is up
    expect(bo.locator("#chat-show-presence")).to_be_enabled()
    assert_accessible(ada)

    send(ada, "Hello cohort, notes at https://example.gov/notes <b>bold?</b>")
    expect(log(bo)).to_contain_text("Hello cohort")
    expect(log(bo).get_by_role("link", name="https://example.gov/notes")).to_be_visible()
    expect(log(bo)).to_contain_text("<b>bold?</b>")  # shown as text, not markup
    expect(bo.locator("#chat-announcer")).to_contain_text("Ada Member: Hello cohort")
    send(bo, "Hi Ada")
    expect(log(ada)).to_contain_text("Hi Ada")

    # Ada opens a direct conversation; Bo's room list shows it unread.
    ada.get_by_role("combobox", name="Person").press_sequentially("Bo")
    ada.get_by_role("option", name=re.compile("Bo Mate")).click()
    ada.get_by_role("button", name="Open conversation").click()
    expect(ada.get_by_role("heading", name="Bo Mate")).to_be_visible()
    expect(ada.locator("#chat-show-presence")).to_be_enabled()
    send(ada, "Just between us")
    expect(log(ada).locator(".chat-message--pending")).to_have_count(0)
    # Elsewhere, the header's Chat link counts it too; it clears once Bo has read it.
    bo.goto("/events/")
    expect(bo.get_by_role("link", name="Chat 1 unread", exact=True)).to_have_count(1)
    bo.goto("/chat/")
    direct = bo.locator("#chat-room-list li", has_text="Ada Member")
    expect(direct.locator(".chat-room__unread")).to_have_text("1 unread")
    assert_accessible(bo)

    direct.get_by_role("link").click()
    expect(log(bo)).to_contain_text("Just between us")
    expect(bo.get_by_role("link", name="Chat", exact=True)).to_have_count(1)
    expect(bo.locator("#chat-show-presence")).to_be_enabled()
    assert_accessible(bo)

    # Bo's network drops; Ada keeps talking; Bo types something meanwhile.
    bo.context.set_offline(True)
    expect(bo.locator("#chat-offline")).to_be_visible()
    for n in range(3):
        send(ada, f"While you were away {n}")
    expect(log(ada).locator(".chat-message--pending")).to_have_count(0)
    send(bo, "Typed while offline")
    expect(log(bo).locator(".chat-message--pending")).to_have_count(1)
    assert_accessible(bo)

    bo.context.set_offline(False)
    expect(bo.locator("#chat-offline")).to_be_hidden(timeout=15_000)
    for n in range(3):
        expect(log(bo).get_by_text(f"While you were away {n}")).to_have_count(1)
    expect(log(ada).get_by_text("Typed while offline")).to_have_count(1)
    expect(log(bo).locator(".chat-message--pending")).to_have_count(0)
    texts = log(bo).locator(".chat-message__body").all_inner_texts()
    assert texts.index("While you were away 0") < texts.index("While you were away 2")
    assert len(texts) == len(set(texts)) == 5
