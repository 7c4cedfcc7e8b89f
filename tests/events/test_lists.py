"""Upcoming and past lists, filters, the month view, attendance and the blocks for other pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from tests.events.builders import make_event, utc
from tests.factories import CohortFactory, MembershipFactory


def titles(response) -> list[str]:
    return [event.title for event in response.context["events"]]


def test_upcoming_and_past_show_only_what_the_member_may_see(world, client_for):
    make_event(world.cohort, title="Ours next week")
    make_event(world.other_cohort, title="Theirs")
    make_event(None, title="Network summit")
    make_event(world.cohort, title="Ours last month", start=timezone.now() - timedelta(days=30))
    client = client_for("member")
    assert titles(client.get(reverse("events:list"))) == ["Ours next week", "Network summit"]
    assert titles(client.get(reverse("events:past"))) == ["Ours last month"]


def test_lists_filter_by_cohort_and_program(world, client_for):
    second = CohortFactory(name="Second circle", program=world.cohort.program)
    MembershipFactory(cohort=second, member=world.member)
    make_event(world.cohort, title="First")
    make_event(second, title="Second")
    make_event(None, title="Everyone")
    client = client_for("member")
    url = reverse("events:list")
    assert titles(client.get(url, {"cohort": second.slug})) == ["Second"]
    program = world.cohort.program.slug
    assert titles(client.get(url, {"program": program})) == ["First", "Second"]
    # Asking for another cohort's events shows nothing rather than them.
    assert titles(client.get(url, {"cohort": world.other_cohort.slug})) == []


def list_queries(client, url: str) -> int:
    client.get(url)  # warms the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["events:list", "events:past"])
def test_lists_cost_the_same_queries_for_one_event_or_thirty(url_name, world, client_for):
    past = url_name == "events:past"
    client, url = client_for("member"), reverse(url_name)

    def add(count: int) -> None:
        for number in range(count):
            start = timezone.now() + timedelta(days=-3 if past else 3, minutes=number)
            event = make_event(world.cohort, title=f"Event {number}", capacity=10, start=start)
            event.rsvps.create(member=world.mate, status="going")

    add(1)
    one = list_queries(client, url)
    add(29)
    thirty = list_queries(client, url)
    assert one == thirty
    page = client.get(url)
    assert len(page.context["events"]) == 30
    assert "1 of 10 seats taken" in page.content.decode()


def test_month_view_places_events_on_the_viewers_day(world, client_for):
    world.member.time_zone = "Europe/London"
    world.member.save()
    # 9 PM on March 31 in New York is already April 1 in London.
    make_event(world.cohort, title="Late call", start=utc(2055, 4, 1, 1))
    client = client_for("member")
    march = client.get(reverse("events:month", args=[2055, 3])).content.decode()
    april = client.get(reverse("events:month", args=[2055, 4])).content.decode()
    assert "Late call" in april
    assert "2:00 AM <bdi>Late call</bdi>" in april  # BST
    assert "Late call" not in march.split("<tbody>")[1].split("31<span")[1].split("</td>")[0]


def test_manager_marks_attendance_and_it_shows_on_profiles_and_the_cohort(world, client_for):
    event = make_event(world.cohort, title="Retreat", start=timezone.now() - timedelta(days=1))
    for person in (world.member, world.mate):
        event.rsvps.create(member=person, status="going")
    client = client_for("manager")
    page = client.get(reverse("events:attendance", args=[event.pk])).content.decode()
    assert "Ada Member" in page and "Bo Mate" in page
    response = client.post(
        reverse("events:attendance", args=[event.pk]), {"attended": [world.member.pk]}, follow=True
    )
    assert "Attendance saved: 1 of 2 attended." in response.content.decode()
    request = RequestFactory().get("/")
    request.user = world.mate.user
    profile = Template("{% load events %}{% events_attended member %}").render(
        Context({"request": request, "member": world.member})
    )
    assert "Retreat" in profile
    request.user = world.manager.user
    cohort_page = Template("{% load events %}{% cohort_attendance cohort %}").render(
        Context({"request": request, "cohort": world.cohort})
    )
    assert "Retreat" in cohort_page and "<td>2</td><td>1</td>" in cohort_page


def test_attendance_waits_until_the_event_has_started(world, client_for):
    event = make_event(world.cohort)
    response = client_for("manager").get(reverse("events:attendance", args=[event.pk]))
    assert response.status_code == 302


def test_home_block_lists_my_next_events(world):
    going = make_event(world.cohort, title="Mine")
    make_event(world.cohort, title="Not mine")
    services.rsvp(event=going, member=world.member, going=True)
    request = RequestFactory().get("/")
    request.user = world.member.user
    html = Template("{% load events %}{% next_events %}").render(Context({"request": request}))
    assert "Mine" in html and "Not mine" not in html
