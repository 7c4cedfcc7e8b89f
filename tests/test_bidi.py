"""Names and titles people type are isolated: a right-to-left override cannot spoof what follows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from messaging.announcements import services as announcements
from messaging.announcements.models import Audience
from messaging.discussions import services as discussions
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db
SPOOF = "Ada \u202etxt.exe"


def isolated(text: str, page: str) -> bool:
    return f"<bdi>{escape(text)}</bdi>" in page


def test_a_name_with_a_right_to_left_override_is_isolated_on_profile_and_roster(world, client_for):
    world.mate.name = SPOOF
    world.mate.headline = "Chief \u202eofficer"
    world.mate.save(update_fields=["name", "headline"])
    client = client_for("member")
    profile = client.get(reverse("network:member", args=[world.mate.pk])).text
    assert isolated(SPOOF, profile) and isolated(world.mate.headline, profile)
    roster = client.get(reverse("network:cohort", args=[world.cohort.slug])).text
    assert isolated(SPOOF, roster)


def test_thread_and_event_titles_are_isolated(world, client_for):
    title = "Budget \u202egnitsoh"
    discussions.ensure_cohort_boards([world.cohort])
    board = world.cohort.board
    thread = discussions.start_thread(board=board, author=world.member, title=title, body="x")
    client = client_for("member")
    assert isolated(title, client.get(reverse("discussions:thread", args=[thread.pk])).text)
    assert isolated(title, client.get(reverse("discussions:board", args=[board.slug])).text)
    event = make_event(cohort=world.cohort, title=title)
    assert isolated(title, client.get(reverse("events:detail", args=[event.pk])).text)


def test_announcement_titles_and_authors_are_isolated_where_members_read_them(world, client_for):
    world.manager.name = SPOOF
    world.manager.save(update_fields=["name"])
    title = "Retreat \u202eetad"
    sent = announcements.create_announcement(
        author=world.manager, audience=Audience.COHORT, cohort=world.cohort, title=title, body="x"
    )
    client = client_for("member")
    home = client.get(reverse("network:home")).text
    assert isolated(title, home) and isolated(SPOOF, home)
    assert isolated(title, client.get(reverse("announcements:detail", args=[sent.pk])).text)
