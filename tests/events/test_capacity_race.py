"""Many people answering at the same moment never get more seats than there are (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import RSVPStatus
from tests.events.builders import make_event
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def answer_at_once(event, members, *, going: bool) -> list[BaseException]:
    barrier = threading.Barrier(len(members))
    errors: list[BaseException] = []

    def answer(member) -> None:
        try:
            barrier.wait()
            services.rsvp(event=event, member=member, going=going)
        except BaseException as error:  # collected and re-raised by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_rsvps_never_exceed_capacity_and_the_rest_wait_in_line():
    assert connection.vendor == "postgresql", "the race needs real row locks"
    cohort = CohortFactory()
    members = [MemberFactory() for _ in range(12)]
    for member in members:
        MembershipFactory(cohort=cohort, member=member)
    event = make_event(cohort, capacity=5)

    assert answer_at_once(event, members, going=True) == []

    statuses = list(event.rsvps.values_list("status", flat=True))
    assert statuses.count(RSVPStatus.GOING) == 5
    assert statuses.count(RSVPStatus.WAITLISTED) == 7

    # Five leave at once: exactly five move in from the waitlist, in the order they joined.
    going = [r.member for r in event.rsvps.filter(status=RSVPStatus.GOING)]
    waiting = list(event.rsvps.filter(status=RSVPStatus.WAITLISTED).order_by("waitlisted_at"))
    assert answer_at_once(event, going, going=False) == []
    now_going = set(event.rsvps.filter(status=RSVPStatus.GOING).values_list("pk", flat=True))
    assert now_going == {r.pk for r in waiting[:5]}
