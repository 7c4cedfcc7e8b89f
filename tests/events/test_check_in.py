"""Check-in at the door: a searchable list, arrivals marked, members walking in."""

from __future__ import annotations

from django.urls import reverse

from events import services
from events.models import RSVP, RSVPStatus
from tests.events.builders import make_event
from tests.factories import MemberFactory, MembershipFactory


def check_in_url(event) -> str:
    return reverse("events:check_in", args=[event.pk])


def mark(client, event, member, action: str = "in", q: str = ""):
    return client.post(
        reverse("events:check_in_mark", args=[event.pk]),
        {"member": member.pk, "action": action, "q": q},
    )


def test_the_list_shows_everyone_going_and_marks_arrivals(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=True)
    client = client_for("manager")
    page = client.get(check_in_url(event)).content.decode()
    assert "Ada Member" in page and "Bo Mate" in page
    assert "<strong data-arrived>0</strong>" in page
    response = mark(client, event, world.member)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#member-{world.member.pk}")
    rsvp = RSVP.objects.get(event=event, member=world.member)
    assert rsvp.attended is True and rsvp.checked_in_at is not None
    assert "<strong data-arrived>1</strong>" in client.get(check_in_url(event)).content.decode()


def test_an_arrival_can_be_undone(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    client = client_for("manager")
    mark(client, event, world.member)
    mark(client, event, world.member, action="undo")
    rsvp = RSVP.objects.get(event=event, member=world.member)
    assert rsvp.checked_in_at is None and rsvp.attended is None
    assert rsvp.status == RSVPStatus.GOING


def test_the_list_is_searchable_by_name_or_agency(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=True)
    page = client_for("manager").get(check_in_url(event), {"q": "bo"}).content.decode()
    assert "Bo Mate" in page and "Ada Member" not in page
    acronym = world.member.agency.acronym
    page = client_for("manager").get(check_in_url(event), {"q": acronym}).content.decode()
    assert "Ada Member" in page


def test_a_member_of_the_cohort_can_walk_in(world, client_for):
    event = make_event(world.cohort, creator=world.manager, capacity=1)
    services.rsvp(event=event, member=world.member, going=True)
    client = client_for("manager")
    page = client.get(check_in_url(event), {"q": "Bo"}).content.decode()
    assert "Add as walk-in" in page and "Bo Mate" in page
    mark(client, event, world.mate, q="Bo")
    rsvp = RSVP.objects.get(event=event, member=world.mate)
    assert (rsvp.status, rsvp.walk_in, rsvp.attended) == (RSVPStatus.GOING, True, True)


def test_someone_from_another_cohort_cannot_be_walked_in(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    page = client_for("manager").get(check_in_url(event), {"q": "Cy"}).content.decode()
    assert "Cy Out" not in page
    assert mark(client_for("manager"), event, world.outsider).status_code == 404
    assert not RSVP.objects.filter(member=world.outsider).exists()


def test_the_list_costs_the_same_queries_for_5_or_50_people(
    world, client_for, django_assert_num_queries
):
    event = make_event(world.cohort, creator=world.manager)
    client = client_for("manager")

    def add(n: int) -> None:
        for _ in range(n):
            person = MemberFactory()
            MembershipFactory(cohort=world.cohort, member=person)
            services.rsvp(event=event, member=person, going=True)

    add(5)
    client.get(check_in_url(event))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(check_in_url(event))
    add(45)
    with django_assert_num_queries(len(few)):
        client.get(check_in_url(event))
