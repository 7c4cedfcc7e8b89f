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
from tests.events.builders import make_event, make_poll, utc


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
    assert bell(world.manager) == []
    # The rest of the cohort hears once too, with the new time in their zone.
    ((kind, summary),) = bell(world.mate)
    assert kind == "event_update" and summary.startswith(f"New time: {event.title}, ")
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
    ((kind, summary),) = bell(world.mate)  # told of the new event once, not invited
    assert kind == "event_new" and summary.startswith(f"New event: {event.title}, ")


def test_a_new_cohort_event_tells_each_member_once_in_their_own_zone(
    world, django_capture_on_commit_callbacks
):
    world.mate.time_zone = "Europe/London"
    world.mate.save(update_fields=["time_zone"])
    start = utc(2055, 3, 3, 19)
    fields = {
        "title": "Budget roundtable",
        "starts_at": start,
        "ends_at": start + timedelta(hours=1),
        "time_zone": "America/New_York",
        "location_kind": "online",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.create_event(creator=world.manager, cohort=world.cohort, **fields)
    assert bell(world.member) == [
        ("event_new", "New event: Budget roundtable, Wed, Mar 3, 2055, 2:00 PM \u2013 3:00 PM EST")
    ]
    ((_, london),) = bell(world.mate)
    assert london.endswith("· 7:00 PM \u2013 8:00 PM your time")
    assert bell(world.manager) == bell(world.outsider) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.member.user.email, world.mate.user.email]
    )


def test_a_member_who_turned_email_off_hears_of_new_events_in_the_app_only(
    world, django_capture_on_commit_callbacks
):
    from messaging.discussions.emails import set_frequency

    set_frequency(member=world.mate, frequency="off")
    with django_capture_on_commit_callbacks(execute=True):
        make_event_via_service(world)
    assert [m.to[0] for m in mail.outbox] == [world.member.user.email]
    assert len(bell(world.mate)) == 1


def test_cancelling_tells_the_rest_of_the_cohort_once(world, django_capture_on_commit_callbacks):
    event = make_event_via_service(world)
    services.rsvp(event=event, member=world.member, going=True)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, editor=world.manager)
    assert [k for k, _ in bell(world.member)] == ["event_update"]
    assert [s.split(",")[0] for _, s in bell(world.mate)] == [f"Cancelled: {event.title}"]


def test_opening_a_poll_rings_the_cohort_and_emails_by_preference(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        poll = services.create_poll(
            creator=world.manager, cohort=world.cohort, title="Spring dinner",
            time_zone="America/New_York", duration_minutes=60,
            slot_starts=[timezone.now() + timedelta(days=9)],
        )  # fmt: skip
    for person in (world.member, world.mate):
        summary = f"When can you make it? Spring dinner ({world.cohort.name})"
        assert bell(person) == [("poll_opened", summary)]
    note = Notification.objects.filter(recipient=world.member).get()
    assert note.url == reverse("events:poll", args=[poll.pk])
    assert bell(world.manager) == [] and len(mail.outbox) == 2


def make_event_via_service(world):
    start = timezone.now() + timedelta(days=5)
    return services.create_event(
        creator=world.manager, cohort=world.cohort, title="Budget roundtable", starts_at=start,
        ends_at=start + timedelta(hours=1), time_zone="America/New_York", location_kind="online",
    )  # fmt: skip
