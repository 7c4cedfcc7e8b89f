"""Reminders a day and an hour before, only to people going, exactly once each."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from events import services, tasks
from events.models import Reminder
from tests.events.builders import make_event
from tests.factories import CohortFactory, MemberFactory, MembershipFactory


def test_two_beat_ticks_send_each_reminder_once_and_only_to_people_going(world):
    now = timezone.now()
    event = make_event(world.cohort, start=now + timedelta(hours=23))
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=False)
    mail.outbox.clear()

    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0
    (message,) = mail.outbox
    assert message.to == [world.member.user.email]
    assert tasks.how_soon(event.starts_at, world.member.time_zone) in message.subject

    # Twenty-two and a half hours later the one-hour reminder is due, once.
    later = now + timedelta(hours=22, minutes=30)
    assert services.send_due_reminders(now=later) == 1
    assert services.send_due_reminders(now=later) == 0
    assert "in 30 minutes" in mail.outbox[-1].subject
    assert len(mail.outbox) == 2


def test_someone_who_rsvps_an_hour_before_gets_only_the_hour_reminder(world):
    event = make_event(world.cohort, start=timezone.now() + timedelta(minutes=50))
    services.rsvp(event=event, member=world.member, going=True)
    mail.outbox.clear()
    assert services.send_due_reminders() == 1
    assert "in 49 minutes" in mail.outbox[0].subject or "in 50 minutes" in mail.outbox[0].subject


def test_a_reminder_says_the_real_time_left_never_tomorrow_for_hours_away():
    late_evening = datetime(2026, 12, 1, 22, 0, tzinfo=ZoneInfo("America/New_York"))
    one_am = late_evening + timedelta(hours=3)
    assert tasks.how_soon(one_am, "America/New_York", late_evening) == "in 3 hours, at 1:00 AM EST"
    assert tasks.how_soon(one_am, "Asia/Tokyo", late_evening) == "in 3 hours, at 3:00 PM JST"
    next_morning = late_evening + timedelta(hours=13)
    assert tasks.how_soon(next_morning, "America/New_York", late_evening) == (
        "tomorrow at 11:00 AM EST"
    )
    assert tasks.how_soon(late_evening + timedelta(minutes=5), "UTC", late_evening) == (
        "in 5 minutes"
    )


def test_an_rsvp_an_hour_before_gets_one_reminder_not_two_in_five_minutes(world):
    now = timezone.now()
    event = make_event(world.cohort, start=now + timedelta(hours=1, minutes=5))
    services.rsvp(event=event, member=world.member, going=True)
    mail.outbox.clear()
    assert services.send_due_reminders(now=now) == 1
    assert "in 1 hour, at" in mail.outbox[0].subject
    assert "tomorrow" not in mail.outbox[0].subject
    for minutes in (5, 6, 30):
        assert services.send_due_reminders(now=now + timedelta(minutes=minutes)) == 0
    services.rsvp(event=event, member=world.member, going=False)
    services.rsvp(event=event, member=world.member, going=True)
    assert services.send_due_reminders(now=now + timedelta(minutes=40)) == 0
    reminders = [m for m in mail.outbox if "Reminder" in m.subject]
    assert len(reminders) == 1


def test_a_member_who_turned_reminders_off_gets_none_but_still_gets_invitations(
    world, django_capture_on_commit_callbacks
):
    from messaging.discussions import emails

    emails.turn_off(member=world.member, kind="reminders")
    event = make_event(world.cohort, start=timezone.now() + timedelta(hours=3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
    assert [m.subject for m in mail.outbox] == [f"[Convene] You're going: {event.title}"]
    services.send_due_reminders()
    assert len(mail.outbox) == 1


def test_no_reminders_for_cancelled_or_far_off_events(world):
    soon = make_event(world.cohort, start=timezone.now() + timedelta(hours=2))
    later = make_event(world.cohort, start=timezone.now() + timedelta(days=3))
    for event in (soon, later):
        services.rsvp(event=event, member=world.member, going=True)
    services.cancel_event(event=soon, editor=world.manager)
    assert services.send_due_reminders() == 0


def test_a_new_time_means_the_reminders_go_again(world):
    event = make_event(world.cohort, start=timezone.now() + timedelta(hours=20))
    services.rsvp(event=event, member=world.member, going=True)
    assert services.send_due_reminders() == 1
    new_start = event.starts_at + timedelta(hours=2)
    services.update_event(
        event=event,
        editor=world.manager,
        starts_at=new_start,
        ends_at=new_start + timedelta(hours=1),
    )
    assert services.send_due_reminders() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once():
    cohort = CohortFactory()
    members = [MemberFactory() for _ in range(6)]
    event = make_event(cohort, start=timezone.now() + timedelta(hours=3))
    for member in members:
        MembershipFactory(cohort=cohort, member=member)
        services.rsvp(event=event, member=member, going=True)
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker() -> None:
        barrier.wait()
        try:
            counts.append(services.send_due_reminders())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 6
    assert Reminder.objects.count() == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in members)
