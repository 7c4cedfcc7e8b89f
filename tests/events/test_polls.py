# ruff: noqa: RUF001 - the en dash is what people read between start and end times
"""Availability polls: slots in the organiser's zone, answered in each member's own zone."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event, Poll, PollReminder, PollSlot, PollVote
from tests.events.builders import make_poll, utc


def open_poll(world, client_for, django_capture_on_commit_callbacks) -> Poll:
    form = {
        "cohort": world.cohort.pk,
        "title": "Spring dinner",
        "time_zone": "America/Los_Angeles",
        "duration_minutes": "90",
        "slot_1": "2055-03-10T18:00",  # PST, before the change
        "slot_2": "2055-03-17T18:00",  # PDT, after it
        "slot_3": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(reverse("events:poll_create"), form)
    assert response.status_code == 302
    return Poll.objects.get()


def test_a_manager_opens_a_poll_and_the_cohort_is_asked(
    world, client_for, django_capture_on_commit_callbacks
):
    poll = open_poll(world, client_for, django_capture_on_commit_callbacks)
    starts = list(poll.slots.values_list("starts_at", flat=True))
    assert starts == [utc(2055, 3, 11, 2), utc(2055, 3, 18, 1)]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in poll.slots.all())
    asked = sorted(m.to[0] for m in mail.outbox)
    assert asked == sorted([world.member.user.email, world.mate.user.email])


def test_members_see_slots_in_their_zone_with_the_organisers_beside(
    world, client_for, django_capture_on_commit_callbacks
):
    poll = open_poll(world, client_for, django_capture_on_commit_callbacks)
    world.member.time_zone = "Europe/London"
    world.member.save()
    page = client_for("member").get(reverse("events:poll", args=[poll.pk])).content.decode()
    assert (
        "Wed, Mar 10, 2055, 6:00 PM – 7:30 PM PST · Thu, Mar 11, 2055, 2:00 AM – 3:30 AM your time"
        in page
    )
    assert (
        "Wed, Mar 17, 2055, 6:00 PM – 7:30 PM PDT · Thu, Mar 18, 2055, 1:00 AM – 2:30 AM your time"
        in page
    )


def test_answers_make_the_grid_and_the_best_slot(
    world, client_for, django_capture_on_commit_callbacks
):
    poll = open_poll(world, client_for, django_capture_on_commit_callbacks)
    first, second = poll.slots.all()
    client_for("member").post(
        reverse("events:poll", args=[poll.pk]),
        {f"slot_{first.pk}": "no", f"slot_{second.pk}": "yes"},
    )
    client_for("mate").post(
        reverse("events:poll", args=[poll.pk]),
        {f"slot_{first.pk}": "yes", f"slot_{second.pk}": "maybe"},
    )
    # Changing one's mind replaces the answer.
    client_for("member").post(
        reverse("events:poll", args=[poll.pk]),
        {f"slot_{first.pk}": "maybe", f"slot_{second.pk}": "yes"},
    )
    assert PollVote.objects.count() == 4
    scores = services.score_slots(poll)
    assert [(s.yes, s.maybe, s.no, s.best) for s in scores] == [(1, 1, 0, True), (1, 1, 0, True)]
    client_for("mate").post(
        reverse("events:poll", args=[poll.pk]),
        {f"slot_{first.pk}": "no", f"slot_{second.pk}": "yes"},
    )
    best = [s.slot for s in services.score_slots(poll) if s.best]
    assert best == [second]
    page = client_for("manager").get(reverse("events:poll", args=[poll.pk])).content.decode()
    assert "Ada Member" in page and "Best" in page


def test_closing_schedules_the_event_and_invites_everyone_who_answered(
    world, client_for, django_capture_on_commit_callbacks
):
    poll = open_poll(world, client_for, django_capture_on_commit_callbacks)
    first, second = poll.slots.all()
    client_for("member").post(
        reverse("events:poll", args=[poll.pk]),
        {f"slot_{first.pk}": "no", f"slot_{second.pk}": "yes"},
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("events:poll_close", args=[poll.pk]),
            {
                "slot": second.pk,
                "location_kind": "online",
                "online_url": "https://meet.example.gov/x",
                "capacity": "8",
            },
        )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "events:detail", args=[event.pk]
    )
    assert event.starts_at == utc(2055, 3, 18, 1) and event.time_zone == "America/Los_Angeles"
    assert event.cohort == world.cohort and event.capacity == 8
    # The respondent gets the invitation; the rest of the cohort hears of the new event once.
    invitation, news = sorted(mail.outbox, key=lambda m: m.to != [world.member.user.email])
    assert invitation.to == [world.member.user.email] and "Please RSVP" in invitation.body
    assert news.to == [world.mate.user.email] and "New event" in news.subject
    poll.refresh_from_db()
    assert poll.status == "closed" and poll.event == event
    page = client_for("member").get(reverse("events:poll", args=[poll.pk])).content.decode()
    assert "This poll is closed." in page and "Save my answers" not in page


def test_non_responders_are_reminded_once(world, client_for):
    poll = make_poll(world.cohort, creator=world.manager)
    slot = poll.slots.first()
    PollVote.objects.create(slot=slot, member=world.member, answer="yes")
    client = client_for("manager")
    client.post(reverse("events:poll_remind", args=[poll.pk]))
    client.post(reverse("events:poll_remind", args=[poll.pk]))
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == [world.mate.user.email]  # not the organiser, nor who answered
    assert PollReminder.objects.count() == 1


def test_beat_reminds_non_responders_of_polls_closing_within_a_day(world):
    make_poll(world.cohort, closes_at=timezone.now() + timedelta(hours=5))
    make_poll(world.cohort, closes_at=timezone.now() + timedelta(days=5), title="Later")
    assert services.send_due_poll_reminders() == 3  # member, mate and manager of the cohort
    assert services.send_due_poll_reminders() == 0


def test_members_cannot_close_or_see_another_cohorts_poll(world, client_for):
    poll = make_poll(world.cohort)
    slot = PollSlot.objects.filter(poll=poll).first()
    response = client_for("member").post(
        reverse("events:poll_close", args=[poll.pk]), {"slot": slot.pk}
    )
    assert response.status_code == 403
    assert client_for("outsider").get(reverse("events:poll", args=[poll.pk])).status_code == 404


def test_an_administrator_outside_the_cohort_looks_but_does_not_answer(world, client_for):
    poll = make_poll(world.cohort)
    slot = poll.slots.first()
    client = client_for("admin")
    page = client.get(reverse("events:poll", args=[poll.pk])).content.decode()
    assert "Save my answers" not in page and "Close the poll" in page
    response = client.post(reverse("events:poll", args=[poll.pk]), {f"slot_{slot.pk}": "yes"})
    assert response.status_code == 403 and not PollVote.objects.exists()


def test_a_managers_poll_page_has_no_id_twice_when_slot_numbers_meet(
    world, client_for, django_capture_on_commit_callbacks
):
    """The answer form names its fields slot_<pk> and the close form's radios id_slot_<n>:
    slot 1 met radio 1 (issue 17)."""
    poll = open_poll(world, client_for, django_capture_on_commit_callbacks)
    page = client_for("manager").get(reverse("events:poll", args=[poll.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "close_slot_0" in ids and any(i.startswith("id_slot_") for i in ids)  # both forms
    assert len(ids) == len(set(ids)), sorted(ids)
