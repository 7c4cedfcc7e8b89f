"""The event page links to the event's discussion thread, made through messaging's functions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import discussion, services
from events.models import Event
from messaging.discussions.models import Board, Post, Thread
from network.models import RecordsMode
from tests.events.builders import make_event
from tests.events.test_rsvp import people
from tests.messaging.conftest import row_counts, signed_in_clients


def detail(client, event: Event) -> str:
    return client.get(reverse("events:detail", args=[event.pk])).content.decode()


def thread_url(thread: Thread) -> str:
    return reverse("discussions:thread", args=[thread.pk])


def test_scheduling_a_cohort_event_opens_its_thread_on_the_cohorts_board(
    world, client_for, django_capture_on_commit_callbacks
):
    form = {
        "title": "Budget roundtable",
        "time_zone": "America/New_York",
        "starts": "2055-01-12T09:00",
        "ends": "2055-01-12T10:00",
        "location_kind": "online",
        "online_url": "https://meet.example.gov/budget",
        "records_mode": "informal",
        "cohort": world.cohort.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager").post(reverse("events:create"), form)
    event = Event.objects.get()
    thread = Thread.objects.get(event_uid=event.uid)
    assert thread.board == Board.objects.get(cohort=world.cohort)
    assert thread.title == "Budget roundtable" and thread.author == world.manager
    opening = Post.objects.get(thread=thread)
    assert f'href="{reverse("events:detail", args=[event.pk])}"' in opening.body_html

    page = detail(client_for("mate"), event)
    assert f'href="{thread_url(thread)}"' in page and "Class of 2026</bdi> board" in page
    thread_page = client_for("mate").get(thread_url(thread))
    assert thread_page.status_code == 200 and "Budget roundtable" in thread_page.content.decode()
    assert client_for("outsider").get(thread_url(thread)).status_code == 404
    assert client_for("outsider").get(reverse("events:detail", args=[event.pk])).status_code == 404


def test_a_second_call_gives_the_same_thread(world):
    event = make_event(world.cohort, creator=world.manager)
    first, second = discussion.open_thread(event), discussion.open_thread(event)
    assert first.pk == second.pk
    assert Thread.objects.filter(event_uid=event.uid).count() == 1
    assert Post.objects.filter(thread=first).count() == 1


def test_creating_an_event_opens_its_thread_at_once(world):
    """In the same transaction: no task to wait for, and the page never makes one."""
    event = services.create_event(
        creator=world.manager,
        cohort=world.cohort,
        title="Budget roundtable",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        time_zone="America/New_York",
        location_kind="online",
        online_url="https://meet.example.gov/budget",
    )
    thread = Thread.objects.get(event_uid=event.uid)
    assert thread.board == Board.objects.get(cohort=world.cohort)


def test_opening_an_event_page_creates_nothing(world):
    event = make_event(world.cohort, creator=world.manager)  # made without the service
    clients = signed_in_clients(world, "member", "mate")
    before = row_counts()
    for client in clients:
        assert 'id="event-discussion"' not in detail(client, event)
    assert row_counts() == before


def test_the_data_migration_opens_threads_for_existing_events_but_not_cancelled_ones(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("events.migrations.0002_threads_for_existing_events")
    event = make_event(world.cohort, creator=world.manager)
    cancelled = make_event(world.cohort, creator=world.manager, title="Off", status="cancelled")
    for _ in range(2):  # running twice changes nothing more
        migration.open_event_threads(apps, None)
    assert Thread.objects.filter(event_uid=event.uid).count() == 1
    assert not Thread.objects.filter(event_uid=cancelled.uid).exists()


def test_a_network_event_is_discussed_on_the_events_board_of_its_records_mode(world, client_for):
    event = make_event(None, creator=world.admin, records_mode=RecordsMode.OFF_THE_RECORD)
    discussion.open_thread(event)
    page = detail(client_for("outsider"), event)
    thread = Thread.objects.get(event_uid=event.uid)
    assert thread.board.cohort is None and thread.board.off_the_record
    assert f'href="{thread_url(thread)}"' in page
    assert client_for("member").get(thread_url(thread)).status_code == 200
    informal = discussion.open_thread(make_event(None, creator=world.admin, title="Lunch"))
    assert informal.board.name == "Events" and informal.board != thread.board


def test_a_cohort_events_thread_keeps_the_records_mode_the_event_was_planned_with(
    world, client_for
):
    event = make_event(world.cohort, creator=world.manager, records_mode=RecordsMode.ON_THE_RECORD)
    thread = discussion.open_thread(event)
    assert thread.board.records_mode == RecordsMode.INFORMAL  # the cohort's one board
    client = client_for("member")
    assert "On the record" in detail(client, event)
    page = client.get(thread_url(thread)).content.decode()
    assert "Records mode: On the record." in page


def test_an_off_the_record_event_thread_stays_off_the_record_on_an_informal_board(
    world, client_for
):
    from messaging.discussions import services as discussions

    event = make_event(world.cohort, creator=world.manager, records_mode=RecordsMode.OFF_THE_RECORD)
    thread = discussion.open_thread(event)
    discussions.post_reply(thread=thread, author=world.mate, body="a candid zeppelin remark")
    page = client_for("member").get(thread_url(thread)).content.decode()
    assert "Records mode: Off the record." in page
    # Search outside the cohort: no snippet and no author, as on an off-the-record board.
    found = client_for("admin").get(reverse("discussions:search"), {"q": "zeppelin"})
    assert "1 result" in found.text
    assert "candid" not in found.text and world.mate.name not in found.text


def test_an_edit_renames_the_thread_and_takes_it_off_the_record_but_never_back(world, client_for):
    event = make_event(world.cohort, creator=world.manager, records_mode=RecordsMode.INFORMAL)
    thread = discussion.open_thread(event)
    services.update_event(
        event=event,
        editor=world.manager,
        title="Frank talk",
        records_mode=RecordsMode.OFF_THE_RECORD,
    )
    thread.refresh_from_db()
    assert thread.title == "Frank talk" and thread.off_the_record
    page = client_for("member").get(thread_url(thread)).content.decode()
    assert "Records mode: Off the record." in page
    # Put back to informal, the event does not expose what was said off the record.
    event.refresh_from_db()
    services.update_event(event=event, editor=world.manager, records_mode=RecordsMode.INFORMAL)
    thread.refresh_from_db()
    assert thread.off_the_record


def test_no_link_when_a_moderator_moved_the_thread_out_of_sight(world, client_for):
    thread = discussion.open_thread(event := make_event(world.cohort, creator=world.manager))
    hidden = Board.objects.create(name="Staff only", slug="staff-only", cohort=world.other_cohort)
    Thread.objects.filter(pk=thread.pk).update(board=hidden)
    page = detail(client_for("member"), event)
    assert thread_url(thread) not in page and 'id="event-discussion"' not in page
    assert Thread.objects.filter(event_uid=event.uid).count() == 1


def test_cancelling_says_so_in_the_thread(world, client_for, django_capture_on_commit_callbacks):
    event = make_event(world.cohort, creator=world.manager)
    thread = discussion.open_thread(event)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager").post(reverse("events:cancel", args=[event.pk]))
    last = Post.objects.filter(thread=thread).order_by("-number").first()
    assert last.number == 2 and last.author == world.manager
    assert "This event has been cancelled." in last.body_html
    page = client_for("mate").get(thread_url(thread)).content.decode()
    assert "This event has been cancelled." in page


@pytest.mark.parametrize("going", [1, 50])
def test_the_event_page_costs_the_same_for_one_or_fifty_people_going(
    going, world, client_for, django_assert_num_queries
):
    event = make_event(world.cohort, creator=world.manager)
    for member in people(world.cohort, going):
        services.rsvp(event=event, member=member, going=True)
    discussion.open_thread(event)
    client = client_for("member")
    detail(client, event)
    with django_assert_num_queries(QUERIES):
        page = detail(client, event)
    assert 'id="event-discussion"' in page and f"{going} going" in page


QUERIES = 10  # the member comes with the request's user (network.backends)
