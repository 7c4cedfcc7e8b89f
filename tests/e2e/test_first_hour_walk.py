"""A member's first hour (issue 17): from their own profile to a peer's, from a peer to a
conversation, a conversation found by typing a name, and no button that leads nowhere. Each
path is walked at desktop width and on a 390 by 844 phone, with both accessibility engines."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from messaging.models import Room, RoomKind
from network.models import FieldVisibility
from tests.conftest import sign_in
from tests.e2e.conftest import assert_accessible
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def person(new_page, live_server):
    def signed_in(user, phone: bool = False) -> Page:
        client = Client()
        sign_in(client, user)
        page = new_page(phone=phone)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
        )
        return page

    return signed_in


def header_link(page: Page, name: str):
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    return page.get_by_role("navigation", name="Primary").get_by_role("link", name=name)


def message_box(page: Page):
    return page.get_by_label("Message", exact=True)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_member_sees_own_profile_as_another_agency_would(world, person, phone):
    world.member.email_visibility = FieldVisibility.COHORTS
    world.member.save()
    page = person(world.member.user, phone=phone)
    page.goto("/")
    header_link(page, "My profile").click()
    expect(page.get_by_role("heading", level=1, name="Ada Member")).to_be_visible()
    expect(page.get_by_text(world.member.user.email)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="View as a member of another agency").click()
    expect(page.get_by_text("as a member of another agency")).to_be_visible()
    expect(page.get_by_text(world.member.user.email)).to_have_count(0)  # cohorts only
    expect(page.get_by_role("link", name="Edit my profile")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Back to my own view").click()
    expect(page.get_by_role("link", name="Edit my profile")).to_be_visible()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_message_on_a_profile_and_a_card_opens_one_conversation_ready_to_type(world, person, phone):
    page = person(world.member.user, phone=phone)
    page.goto(f"/members/{world.mate.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Message Bo Mate").click()
    expect(page.get_by_role("heading", name="Bo Mate")).to_be_visible()
    expect(message_box(page)).to_be_focused()
    first = page.url
    assert_accessible(page)

    page.goto("/directory/?q=Bo+Mate")
    assert_accessible(page)
    page.get_by_role("button", name="Message Bo Mate").click()
    expect(message_box(page)).to_be_focused()
    assert page.url == first
    assert Room.objects.filter(kind=RoomKind.DIRECT).count() == 1
    page.goto(f"/members/{world.member.pk}/")
    expect(page.get_by_role("button", name=re.compile("^Message"))).to_have_count(0)


def choose(page: Page, picker: str, typed: str, name: str) -> None:
    box = page.get_by_role("combobox", name=picker)
    box.press_sequentially(typed)
    option = page.get_by_role("option", name=re.compile(name))
    expect(option).to_be_visible()
    assert_accessible(page)
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"))
    box.press("Enter")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_conversations_start_by_typing_part_of_a_name(world, person, phone):
    for n in range(3):
        MemberFactory(name=f"Crowd Person {n}")
    page = person(world.member.user, phone=phone)
    page.goto("/chat/")
    expect(page.locator("select")).to_have_count(0)  # no list of every member
    choose(page, "Person", "Bo M", "Bo Mate")
    expect(page.get_by_role("combobox", name="Person")).to_have_value("Bo Mate")
    page.get_by_role("button", name="Open conversation").click()
    expect(page.get_by_role("heading", name="Bo Mate")).to_be_visible()
    expect(message_box(page)).to_be_focused()
    hint = page.get_by_text("Enter sends; Shift+Enter starts a new line.")
    if phone:  # Enter makes a new line on a touch screen; the Send button sends
        expect(hint).to_be_hidden()
    else:
        expect(hint).to_be_visible()

    if phone:  # the open room comes first; the rooms and forms fold behind "Rooms"
        page.locator("summary", has_text="Rooms").click()
    page.get_by_text("New group conversation").click()
    page.get_by_label("Group name").fill("Book club")
    choose(page, "People", "Crowd", "Crowd Person 0")
    choose(page, "People", "Bo", "Bo Mate")
    chosen = page.get_by_role("list", name="Chosen people")
    expect(chosen).to_contain_text("Crowd Person 0")
    expect(chosen).to_contain_text("Bo Mate")
    assert_accessible(page)
    chosen.get_by_role("button", name="Remove Crowd Person 0").click()
    expect(chosen).not_to_contain_text("Crowd Person 0")
    page.get_by_role("button", name="Create group").click()
    expect(page.get_by_role("heading", name="Book club")).to_be_visible()
    group = Room.objects.get(kind=RoomKind.GROUP)
    assert {m.member.name for m in group.members.all()} == {"Ada Member", "Bo Mate"}


@pytest.mark.parametrize("role, shown", [("member", 0), ("manager", 1)])
def test_moderation_queue_is_offered_only_to_moderators(world, person, role, shown):
    page = person(world.user_for(role))
    page.goto("/discussions/")
    expect(page.get_by_role("link", name="Moderation queue")).to_have_count(shown)
