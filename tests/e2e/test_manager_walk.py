"""A manager runs a cohort: an announcement seen and dismissed by a member, one scheduled and
moved in the manager's zone, the console with its charts and their numbers, and the check-in list
on a phone."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from events import services as events
from tests.conftest import sign_in, with_mfa
from tests.console.conftest import summarise_everything
from tests.e2e.conftest import assert_accessible, visit
from tests.events.builders import make_event
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}


def signed_in_page(new_page, live_server, member):
    client = Client()
    sign_in(client, member.user)  # a manager's session has passed MFA, as at a real sign-in
    page = new_page()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


@pytest.fixture
def cohort_people():
    cohort = CohortFactory(name="Deputies Circle", slug="deputies")
    manager = with_mfa(MemberFactory(name="Mo Manager"))
    ada = MemberFactory(name="Ada Lovelace")
    bo = MemberFactory(name="Bo Builder")
    MembershipFactory(cohort=cohort, member=manager, role="manager")
    MembershipFactory(cohort=cohort, member=ada)
    MembershipFactory(cohort=cohort, member=bo)
    return cohort, manager, ada, bo


def test_an_announcement_written_by_a_manager_is_seen_and_dismissed_by_a_member(
    new_page, live_server, cohort_people
):
    cohort, manager, ada, _ = cohort_people
    boss = signed_in_page(new_page, live_server, manager)
    visit(boss, reverse("network:cohort", args=[cohort.slug]))
    boss.get_by_role("link", name="New announcement").click()
    assert_accessible(boss)
    expect(boss.get_by_label("Send to")).to_have_value(f"cohort:{cohort.pk}")
    boss.get_by_label("Title").fill("Dinner moves to Thursday")
    boss.get_by_label("Message").fill("Same place, **7 pm**.")
    boss.get_by_role("button", name="Send announcement").click()
    expect(boss.get_by_role("heading", name="Dinner moves to Thursday")).to_be_visible()
    assert_accessible(boss)

    member = signed_in_page(new_page, live_server, ada)
    visit(member, reverse("network:home"))
    notice = member.get_by_role("article", name="Dinner moves to Thursday")
    expect(notice).to_contain_text("7 pm")
    notice.get_by_role("button", name="Dismiss").click()
    expect(member.get_by_role("article", name="Dinner moves to Thursday")).to_have_count(0)
    assert_accessible(member)


def test_a_scheduled_announcement_is_set_and_moved_in_the_managers_zone_on_a_phone(
    new_page, live_server, cohort_people
):
    cohort, manager, _, _ = cohort_people
    manager.time_zone = "America/Los_Angeles"
    manager.save(update_fields=["time_zone"])
    boss = signed_in_page(new_page, live_server, manager)
    boss.set_viewport_size(PHONE)
    visit(boss, reverse("announcements:new") + f"?cohort={cohort.slug}")
    boss.get_by_label("Title").fill("Spring retreat")
    boss.get_by_label("Message").fill("Save the date.")
    boss.get_by_label("Send at (optional)").fill("2099-06-01T09:00")
    boss.get_by_role("button", name="Send announcement").click()
    expect(boss.get_by_text("Scheduled to go out June 1, 2099, 9:00 AM PDT")).to_be_visible()
    assert_accessible(boss)
    boss.get_by_role("link", name="Edit").click()
    when = boss.get_by_label("Send at (optional)")
    expect(when).to_have_value("2099-06-01T09:00")
    assert_accessible(boss)
    when.fill("2099-06-02T10:30")
    boss.get_by_role("button", name="Save").click()
    expect(boss.get_by_text("Scheduled to go out June 2, 2099, 10:30 AM PDT")).to_be_visible()


def test_the_console_shows_charts_whose_numbers_a_toggle_reveals(
    new_page, live_server, cohort_people
):
    cohort, manager, ada, bo = cohort_people
    from messaging.discussions import services as discussions
    from messaging.discussions.models import Board

    discussions.ensure_cohort_boards([cohort])
    thread = discussions.start_thread(
        board=Board.objects.get(cohort=cohort), author=ada, title="Permits", body="Hi"
    )
    discussions.post_reply(thread=thread, author=bo, body="Agreed")
    summarise_everything()
    for size in (None, PHONE):
        page = signed_in_page(new_page, live_server, manager)
        if size:
            page.set_viewport_size(size)
        visit(page, reverse("network:cohort", args=[cohort.slug]))
        page.get_by_role("link", name="Console").click()
        expect(page.get_by_role("img", name="Activity per week")).to_be_visible()
        assert_accessible(page)
        table = page.get_by_role("table", name="Activity per week")
        expect(table).to_be_hidden()
        page.get_by_text("Show the numbers for activity per week").click()
        expect(table).to_be_visible()
        expect(table).to_contain_text("2")
        assert_accessible(page)


def test_the_check_in_list_works_on_a_phone(new_page, live_server, cohort_people):
    cohort, manager, ada, _ = cohort_people
    event = make_event(cohort, creator=manager, title="Spring roundtable")
    events.rsvp(event=event, member=ada, going=True)
    page = signed_in_page(new_page, live_server, manager)
    page.set_viewport_size(PHONE)
    visit(page, reverse("events:detail", args=[event.pk]))
    page.get_by_role("link", name="Check-in list").click()
    assert_accessible(page)
    button = page.get_by_role("button", name="Check in Ada Lovelace")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a thumb finds it
    button.click()
    expect(page.get_by_role("button", name="Undo arrival of Ada Lovelace")).to_be_visible()
    page.get_by_label("Name, agency or organisation").fill("Bo")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("button", name="Add as walk-in Bo Builder").click()
    expect(page.get_by_role("button", name="Undo arrival of Bo Builder")).to_be_visible()
    assert_accessible(page)
