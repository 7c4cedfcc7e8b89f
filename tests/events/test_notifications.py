"""Events ring the in-app bell: reminders, a new time, a cancellation, a seat from the
waitlist and an invitation from a closed poll. Events send their own e-mail, so the bell's
notifications are never e-mailed a second time."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services, tasks
from messaging.discussions.models import Notification
from messaging.discussions.notifications import unread_count
from tests.events.builders import make_event, make_poll


def bell(member) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=member)
        .order_by("created_at")
        .values_list("kind", "summary")
    )


def test_each_reminder_rings_the_bell_once_and_is_e_mailed_once(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, start=timezone.now() + timedelta(hours=23))
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=False)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_reminders()
        tasks.send_reminders()
    soon = tasks.how_soon(event.starts_at, world.member.time_zone)
    assert bell(world.member) == [("event_reminder", f"Reminder: {event.title} {soon}")]
    assert bell(world.mate) == []
    assert len(mail.outbox) == 1 and unread_count(world.member) == 1
    note = Notification.objects.get(recipient=world.member)
    assert note.url == reverse("events:detail", args=[event.pk]) and note.emailed_at


def test_a_new_time_rings_everyone_going_but_the_editor(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, creator=world.manager)
    for person in (world.member, world.manager):
        services.rsvp(event=event, member=person, going=True)
    services.rsvp(event=event, member=world.mate, going=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=event,
            editor=world.manager,
            starts_at=event.starts_at + timedelta(days=1),
            ends_at=event.ends_at + timedelta(days=1),
        )
    assert bell(world.member) == [("event_update", f"New time: {event.title}")]
    assert bell(world.manager) == bell(world.mate) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=event, editor=world.manager, title="New title only")
    assert len(bell(world.member)) == 1


def test_cancelling_rings_people_going_and_waiting(world, django_capture_on_commit_callbacks):
    event = make_event(world.cohort, creator=world.manager, capacity=1)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=True)  # waitlisted
    services.rsvp(event=event, member=world.outsider, going=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, editor=world.manager)
    for person in (world.member, world.mate):
        assert bell(person) == [("event_update", f"Cancelled: {event.title}")]
    assert bell(world.outsider) == []


def test_a_seat_from_the_waitlist_rings_the_person_moved_in(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, capacity=1)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=False)
    assert bell(world.mate) == [
        ("event_invitation", f"A seat opened up: you're going to {event.title}")
    ]
    assert bell(world.member) == []


def test_closing_a_poll_invites_everyone_who_answered(world, django_capture_on_commit_callbacks):
    poll = make_poll(world.cohort, creator=world.manager)
    slot = poll.slots.first()
    services.answer_poll(poll=poll, member=world.member, answers={slot.pk: "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        event = services.close_poll(poll=poll, slot=slot, closer=world.manager)
    assert bell(world.member) == [("event_invitation", f"You're invited: {event.title}")]
    assert bell(world.mate) == []
