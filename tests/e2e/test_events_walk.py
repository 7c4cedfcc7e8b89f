# ruff: noqa: RUF001 - the en dash is what people read between start and end times
"""A poll becomes an event: people in different zones, a waitlist, a calendar file."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from playwright.sync_api import expect

from events.models import Event, Poll
from tests.conftest import sign_in, with_mfa
from tests.e2e.conftest import assert_accessible, visit
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in_page(new_page, live_server, member, timezone_id: str):
    """A browser already signed in as the member (the sign-in form has its own tests)."""
    client = Client()
    sign_in(client, member.user)  # a manager's session has passed MFA, as at a real sign-in
    page = new_page(timezone_id)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def answer(page, slot_number: int, choice: str) -> None:
    group = page.get_by_role("group").filter(has_text=re.compile(r"your time")).nth(slot_number)
    # USWDS draws its own radio button: a person clicks the label, as here.
    group.locator("label", has_text=re.compile(f"^{choice}$")).click()
    expect(group.get_by_label(choice, exact=True)).to_be_checked()


def test_poll_to_event_with_waitlist_and_calendar_file(new_page, live_server, tmp_path):
    cohort = CohortFactory(name="Deputies Circle")
    manager = with_mfa(MemberFactory(name="Mo Manager", time_zone="America/New_York"))
    ada = MemberFactory(name="Ada London", time_zone="Europe/London")
    kai = MemberFactory(name="Kai Honolulu", time_zone="Pacific/Honolulu")
    MembershipFactory(cohort=cohort, member=manager, role="manager")
    for member in (ada, kai):
        MembershipFactory(cohort=cohort, member=member)

    # The manager proposes two times, in New York time.
    boss = signed_in_page(new_page, live_server, manager, "America/New_York")
    visit(boss, reverse("events:list"))
    boss.get_by_role("link", name="Poll for a time").click()
    assert_accessible(boss)
    boss.get_by_label("Title").fill("Quarterly roundtable")
    boss.get_by_label("Time 1").fill("2027-03-10T14:00")
    boss.get_by_label("Time 2").fill("2027-03-17T14:00")
    boss.get_by_role("button", name="Open the poll").click()
    expect(boss.get_by_role("heading", name="Quarterly roundtable")).to_be_visible()
    assert_accessible(boss)
    poll = Poll.objects.get()
    poll_url = reverse("events:poll", args=[poll.pk])

    # Ada in London: the first slot is 7 PM for her (both on winter time), the second 6 PM
    # (New York has sprung forward, London not yet).
    london = signed_in_page(new_page, live_server, ada, "Europe/London")
    visit(london, poll_url)
    expect(
        london.get_by_text(re.compile(r"2:00 PM – 3:00 PM EST · 7:00 PM – 8:00 PM your time"))
    ).to_have_count(2)
    expect(
        london.get_by_text(re.compile(r"2:00 PM – 3:00 PM EDT · 6:00 PM – 7:00 PM your time"))
    ).to_have_count(2)
    answer(london, 0, "No")
    answer(london, 1, "Yes")
    london.get_by_role("button", name="Save my answers").click()
    expect(london.get_by_text("Thank you: your answers are saved.")).to_be_visible()
    assert_accessible(london)

    # Kai lives in Honolulu (9 AM, then 8 AM) but is travelling: the page says which zone it uses.
    honolulu = signed_in_page(new_page, live_server, kai, "America/Los_Angeles")
    visit(honolulu, poll_url)
    expect(
        honolulu.get_by_text(re.compile("Your device is set to America/Los_Angeles"))
    ).to_be_visible()
    expect(london.get_by_text(re.compile("Your device is set to"))).to_be_hidden()
    expect(honolulu.get_by_text(re.compile(r"EDT · 8:00 AM – 9:00 AM your time"))).to_have_count(2)
    answer(honolulu, 0, "Yes")
    answer(honolulu, 1, "If need be")
    honolulu.get_by_role("button", name="Save my answers").click()
    expect(honolulu.get_by_text("Thank you: your answers are saved.")).to_be_visible()

    # The manager closes the poll at the best time (the second: nobody said no).
    visit(boss, poll_url)
    expect(boss.get_by_role("row", name=re.compile(r"EDT Best"))).to_be_visible()
    boss.get_by_label("Video link").fill("https://meet.example.gov/roundtable")
    boss.get_by_label("Capacity").fill("1")
    mail.outbox.clear()
    boss.get_by_role("button", name="Close the poll and schedule the event").click()
    expect(boss.get_by_role("heading", name="Quarterly roundtable")).to_be_visible()
    assert_accessible(boss)
    event = Event.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ada.user.email, kai.user.email])
    event_url = reverse("events:detail", args=[event.pk])

    # Ada takes the only seat; Kai joins the waitlist.
    visit(london, event_url)
    expect(london.locator("#seats")).to_have_text("1 of 1 seats left")
    london.get_by_role("button", name="I'm going").click()
    expect(london.get_by_text("You're going.", exact=True)).to_be_visible()
    expect(london.get_by_role("link", name="https://meet.example.gov/roundtable")).to_be_visible()
    assert_accessible(london)
    visit(honolulu, event_url)
    expect(honolulu.get_by_text("the link is shown to people going")).to_be_visible()
    honolulu.get_by_role("button", name="Join the waitlist").click()
    expect(honolulu.get_by_text(re.compile(r"You're on the waitlist"))).to_be_visible()
    assert_accessible(honolulu)

    # Ada cancels: Kai moves in and is told.
    mail.outbox.clear()
    london.get_by_role("button", name="Cancel my RSVP").click()
    expect(london.get_by_text("You said you're not going.")).to_be_visible()
    honolulu.reload()
    expect(honolulu.get_by_text("You're going.", exact=True)).to_be_visible()
    assert any(m.to == [kai.user.email] and "A seat opened up" in m.subject for m in mail.outbox)

    # The calendar file downloads and carries the time with its zone.
    with honolulu.expect_download() as download:
        honolulu.get_by_role("link", name="Download for your calendar (.ics)").click()
    path = tmp_path / "event.ics"
    download.value.save_as(path)
    cal = Calendar.from_ical(path.read_bytes())
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "America/New_York"
    assert cal.walk("VEVENT")[0].decoded("DTSTART") == event.starts_at
    assert str(cal.walk("VEVENT")[0]["LOCATION"]) == "https://meet.example.gov/roundtable"


def test_event_pages_pass_axe(new_page, live_server):
    cohort = CohortFactory(name="Deputies Circle")
    manager = with_mfa(MemberFactory(name="Mo Manager"))
    MembershipFactory(cohort=cohort, member=manager, role="manager")
    page = signed_in_page(new_page, live_server, manager, "America/New_York")
    visit(page, reverse("events:create"))
    page.get_by_label("Title").fill("Budget talk")
    page.get_by_label("Starts").fill("2027-03-08T02:30")
    page.get_by_label("Ends").fill("2027-03-08T04:00")
    page.locator("label", has_text=re.compile("^In person$")).click()
    page.get_by_label("Address").fill("1800 F St NW, Washington, DC")
    page.get_by_role("button", name="Schedule").click()
    # 2:30 AM on March 8 2027 is ordinary; the form takes it and shows the event.
    expect(page.get_by_role("heading", name="Budget talk")).to_be_visible()
    assert_accessible(page)
    event = Event.objects.get()
    for path in (
        reverse("events:list"),
        reverse("events:past"),
        reverse("events:month", args=[2027, 3]),
        reverse("events:calendar"),
        reverse("events:edit", args=[event.pk]),
        reverse("events:cancel", args=[event.pk]),
    ):
        visit(page, path)
