"""Going, not going, the waitlist and its order, and seats left."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVPStatus
from tests.events.builders import make_event
from tests.factories import MemberFactory, MembershipFactory


def people(cohort, count: int):
    members = [MemberFactory() for _ in range(count)]
    for member in members:
        MembershipFactory(cohort=cohort, member=member)
    return members


def test_seats_left_read_as_a_person_counts_them(world, client_for):
    event = make_event(world.cohort, capacity=50)
    for member in people(world.cohort, 31):
        services.rsvp(event=event, member=member, going=True)
    page = client_for("member").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "19 of 50 seats left" in page
    assert "I&#x27;m going" in page or "I'm going" in page


def test_at_capacity_people_join_the_waitlist_and_move_in_in_order(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, capacity=1)
    first, second, third = people(world.cohort, 3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rsvp(event=event, member=first, going=True).status == RSVPStatus.GOING
        assert services.rsvp(event=event, member=second, going=True).status == "waitlisted"
        assert services.rsvp(event=event, member=third, going=True).status == "waitlisted"
    client = client_for("member")
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Join the waitlist" in page and "0 of 1 seats left · 2 on the waitlist" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=first, going=False)
    statuses = dict(event.rsvps.values_list("member_id", "status"))
    assert statuses == {first.pk: "declined", second.pk: "going", third.pk: "waitlisted"}
    promoted = [m for m in mail.outbox if m.to == [second.user.email]]
    assert promoted and "A seat opened up" in promoted[0].subject


def test_a_larger_capacity_moves_people_in_from_the_waitlist(world):
    event = make_event(world.cohort, capacity=1)
    first, second = people(world.cohort, 2)
    services.rsvp(event=event, member=first, going=True)
    services.rsvp(event=event, member=second, going=True)
    services.update_event(event=event, editor=world.manager, capacity=2)
    assert event.rsvps.get(member=second).status == RSVPStatus.GOING


def test_leaving_the_waitlist_does_not_move_anyone(world):
    event = make_event(world.cohort, capacity=1)
    first, second = people(world.cohort, 2)
    services.rsvp(event=event, member=first, going=True)
    services.rsvp(event=event, member=second, going=True)
    services.rsvp(event=event, member=second, going=False)
    assert event.rsvps.get(member=first).status == RSVPStatus.GOING
    assert event.rsvps.get(member=second).status == RSVPStatus.DECLINED


def test_rsvp_through_the_page_confirms_by_email_with_an_invitation(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("member").post(
            reverse("events:rsvp", args=[event.pk]), {"answer": "going"}, follow=True
        )
    assert "You&#x27;re going" in response.content.decode()
    (message,) = mail.outbox
    assert message.to == [world.member.user.email]


def test_after_the_deadline_nobody_new_can_say_going(world):
    event = make_event(world.cohort, rsvp_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.RSVPRefused):
        services.rsvp(event=event, member=world.member, going=True)
    assert services.rsvp(event=event, member=world.mate, going=False).status == "declined"


def test_a_past_event_takes_no_rsvps(world):
    event = make_event(world.cohort, start=timezone.now() - timedelta(days=1))
    with pytest.raises(services.RSVPRefused):
        services.rsvp(event=event, member=world.member, going=True)


def test_nobody_is_moved_in_once_the_event_has_started(world):
    event = make_event(world.cohort, capacity=1)
    first, second = people(world.cohort, 2)
    services.rsvp(event=event, member=first, going=True)
    services.rsvp(event=event, member=second, going=True)
    event.starts_at = timezone.now() - timedelta(minutes=5)
    event.save()
    services.rsvp(event=event, member=first, going=False)
    assert event.rsvps.get(member=second).status == RSVPStatus.WAITLISTED
