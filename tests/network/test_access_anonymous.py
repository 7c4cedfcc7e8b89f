"""The anonymous visitor is a user the access rules answer too: they run nothing and see nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from events.access import can_answer_poll
from messaging.announcements.access import announceable_cohorts
from network import access
from tests.events.builders import make_poll

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_sees_and_manages_no_cohort(world):
    nobody = AnonymousUser()
    assert not access.visible_cohorts(nobody).exists()
    assert not access.managed_cohorts(nobody).exists()
    assert not announceable_cohorts(nobody).exists()
    assert not access.is_manager(nobody)


def test_an_anonymous_visitor_links_no_seat_answers_no_poll_and_finds_no_console(world):
    nobody = AnonymousUser()
    assert not access.can_link_seat(nobody, world.member)
    assert not can_answer_poll(nobody, make_poll(world.cohort))
    with pytest.raises(Http404):
        access.get_program_console_for(nobody, world.cohort.program.slug)
