"""The month, a poll and an event's attendance cost the same queries for one row or thirty."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Answer, PollVote
from tests.events.builders import make_event, make_poll
from tests.factories import MemberFactory, MembershipFactory


def queries(client, url: str) -> int:
    client.get(url)  # warms the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def newcomer(world):
    person = MemberFactory()
    MembershipFactory(cohort=world.cohort, member=person)
    return person


def test_the_month_takes_the_same_queries_for_1_and_30_events(
    world, client_for, django_assert_num_queries
):
    middle = timezone.now().replace(day=14, hour=16, minute=0)
    url = reverse("events:month", args=[middle.year, middle.month])
    client = client_for("member")

    def add(numbers: range) -> None:
        for number in numbers:
            event = make_event(
                world.cohort, title=f"Event {number}", start=middle + timedelta(minutes=number)
            )
            event.rsvps.create(member=world.mate, status="going")

    add(range(1))
    one = queries(client, url)
    add(range(1, 30))
    with django_assert_num_queries(one):
        page = client.get(url).text
    assert "Event 29" in page


def test_a_poll_takes_the_same_queries_for_1_and_30_people_answering(
    world, client_for, django_assert_num_queries
):
    poll = make_poll(world.cohort, creator=world.manager)
    slots = list(poll.slots.all())
    url = reverse("events:poll", args=[poll.pk])
    client = client_for("manager")

    def add(count: int) -> None:
        for _ in range(count):
            person = newcomer(world)
            for slot in slots:
                PollVote.objects.create(slot=slot, member=person, answer=Answer.YES)

    add(1)
    one = queries(client, url)
    add(29)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["rows"]) == 30


def test_attendance_takes_the_same_queries_for_1_and_30_people_going(
    world, client_for, django_assert_num_queries
):
    started = timezone.now() - timedelta(hours=1)
    event = make_event(world.cohort, creator=world.manager, start=started)
    url = reverse("events:attendance", args=[event.pk])
    client = client_for("manager")

    def add(count: int) -> None:
        for _ in range(count):
            event.rsvps.create(member=newcomer(world), status="going")

    add(1)
    one = queries(client, url)
    add(29)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["going"]) == 30
