"""An account that closes, or a member who leaves the cohort of a cohort-only event, gives up
its seats: the waitlist moves in, in the order people joined it, and no mail goes to the
closed account."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from events import services
from events.models import RSVP, RSVPStatus
from network.models import CohortMembership
from network.services import deactivate_account, remove_member
from tests.events.builders import make_event
from tests.factories import MemberFactory, MembershipFactory


def status(event, member) -> str:
    return RSVP.objects.get(event=event, member=member).status


def test_closing_an_account_frees_its_seats_and_moves_the_waitlist_in_order(
    world, django_capture_on_commit_callbacks
):
    full = make_event(world.cohort, capacity=1, title="Full roundtable")
    network_wide = make_event(None, capacity=1, title="Network dinner")
    first, second = MemberFactory(), MemberFactory()
    for person in (first, second):
        MembershipFactory(cohort=world.cohort, member=person)
    services.rsvp(event=full, member=world.member, going=True)
    services.rsvp(event=full, member=first, going=True)  # waitlisted first
    services.rsvp(event=full, member=second, going=True)  # then second
    services.rsvp(event=network_wide, member=world.member, going=True)
    past = make_event(world.cohort, start=timezone.now() - timedelta(days=2))
    past.rsvps.create(member=world.member, status=RSVPStatus.GOING)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deactivate_account(member=world.member)
    assert status(full, world.member) == RSVPStatus.DECLINED
    assert status(network_wide, world.member) == RSVPStatus.DECLINED
    assert status(full, first) == RSVPStatus.GOING
    assert status(full, second) == RSVPStatus.WAITLISTED
    assert status(past, world.member) == RSVPStatus.GOING  # history stays
    assert [m.to for m in mail.outbox] == [[first.user.email]]  # the seat, not the closed account
    assert "A seat opened up" in mail.outbox[0].subject


def test_leaving_the_cohort_frees_seats_in_its_events_only(
    world, django_capture_on_commit_callbacks
):
    cohort_event = make_event(world.cohort, capacity=1)
    network_wide = make_event(None)
    services.rsvp(event=cohort_event, member=world.member, going=True)
    services.rsvp(event=cohort_event, member=world.mate, going=True)  # waitlisted
    services.rsvp(event=network_wide, member=world.member, going=True)
    membership = CohortMembership.objects.get(member=world.member, cohort=world.cohort)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        remove_member(membership=membership, actor=world.manager.user)
    assert status(cohort_event, world.member) == RSVPStatus.DECLINED
    assert status(cohort_event, world.mate) == RSVPStatus.GOING
    assert status(network_wide, world.member) == RSVPStatus.GOING
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert "Not going" in subjects[world.member.user.email]  # their calendar drops it
    assert "A seat opened up" in subjects[world.mate.user.email]
