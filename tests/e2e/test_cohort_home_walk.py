"""A cohort's page as its home (issue 17, item 4): from the home page to the cohort, then to its
board, chat room, events, announcements and roster, each showing what is new, at desktop width
and on a 390 by 844 phone, with both accessibility engines."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from events.services import rsvp
from messaging.announcements.models import Audience
from messaging.announcements.services import create_announcement
from messaging.discussions.models import Board
from messaging.discussions.services import ensure_cohort_boards, start_thread
from messaging.services.chat import ensure_cohort_rooms
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_first_hour_walk import person  # noqa: F401 (a fixture)
from tests.e2e.test_phone_walk import chatter, off_the_loop
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def lively_cohort(world) -> None:
    ensure_cohort_boards([world.cohort])
    for who in (world.member, world.mate, world.manager):
        ensure_cohort_rooms(member=who)
    board = Board.objects.get(cohort=world.cohort)

    def activity() -> None:
        start_thread(board=board, author=world.mate, title="Permitting reform", body="Ideas?")
        first, _ = (make_event(world.cohort, title=f"Roundtable {n}") for n in (1, 2))
        rsvp(event=first, member=world.member, going=True)
        create_announcement(
            author=world.manager,
            audience=Audience.COHORT,
            cohort=world.cohort,
            title="Welcome to the class",
            body="Glad you are here.",
        )

    off_the_loop(activity)
    chatter(world.mate, world.cohort.chat_room, 2, text="Morning all")


def place(page: Page, name: str):
    return page.get_by_role("navigation", name="In this cohort").get_by_role(
        "link", name=re.compile(f"^{name}")
    )


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_member_reaches_every_place_of_their_cohort_from_its_page(world, person, phone):  # noqa: F811
    lively_cohort(world)
    page: Page = person(world.member.user, phone=phone)
    page.goto("/")
    page.get_by_role("link", name="Class of 2026").click()
    expect(page.get_by_role("heading", level=1, name="Class of 2026")).to_be_visible()
    expect(place(page, "Discussion board")).to_have_text(re.compile("1 unread post"))
    expect(place(page, "Chat room")).to_have_text(re.compile("2 unread messages"))
    expect(place(page, "Upcoming events")).to_have_text(re.compile("2 upcoming, 1 to answer"))
    expect(place(page, "Announcements")).to_have_text(re.compile("1 new"))
    expect(place(page, "Roster")).to_have_text(re.compile("3 members"))
    assert_accessible(page)
    cohort = page.url

    place(page, "Discussion board").click()
    expect(page.get_by_role("link", name="Permitting reform")).to_be_visible()
    assert_accessible(page)
    page.goto(cohort)
    place(page, "Chat room").click()
    expect(page.locator("#chat-log")).to_contain_text("Morning all 1")
    page.goto(cohort)
    place(page, "Upcoming events").click()
    expect(page.get_by_role("link", name="Roundtable 2")).to_be_visible()
    expect(page.get_by_label("Cohort", exact=True)).to_have_value(world.cohort.slug)
    page.goto(cohort)
    place(page, "Announcements").click()
    expect(page.get_by_role("heading", name="Welcome to the class")).to_be_in_viewport()
    place(page, "Roster").click()
    expect(page.get_by_role("heading", name="Roster")).to_be_in_viewport()

    # Reading the board and the room and dismissing the announcement clear their counts.
    page.get_by_role("button", name="Dismiss “Welcome to the class”").click()
    expect(place(page, "Announcements")).to_have_text(re.compile("Nothing new"))
    place(page, "Discussion board").click()
    page.get_by_role("link", name="Permitting reform").click()
    page.goto(cohort)
    expect(place(page, "Discussion board")).to_have_text(re.compile("Nothing unread"))
    assert_accessible(page)
