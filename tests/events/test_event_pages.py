# ruff: noqa: RUF001 - the en dash is what people read between start and end times
"""Scheduling, editing and cancelling events, as managers and members see it."""

from __future__ import annotations

from email import message_from_bytes

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from events import services
from events.models import Event, EventStatus, RSVPStatus
from tests.events.builders import make_event, utc

FORM = {
    "title": "Budget roundtable",
    "description": "Hello <script>alert(1)</script> **world**",
    "time_zone": "Pacific/Honolulu",
    "starts": "2054-12-10T09:00",
    "ends": "2054-12-10T10:30",
    "location_kind": "online",
    "online_url": "https://meet.example.gov/budget",
    "capacity": "20",
    "rsvp_deadline": "2054-12-09T17:00",
    "records_mode": "off_record",
}


@pytest.fixture(autouse=True)
def _frozen_clock(settings):
    settings.SITE_URL = "https://convene.example.gov"


def calendar_parts(message) -> list:
    parsed = message_from_bytes(message.message().as_bytes())
    return [part for part in parsed.walk() if part.get_content_type() == "text/calendar"]


def test_manager_schedules_an_event_planned_in_honolulu(world, client_for):
    client = client_for("manager")
    response = client.post(reverse("events:create"), {**FORM, "cohort": world.cohort.pk})
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at == utc(2054, 12, 10, 19) and event.ends_at == utc(2054, 12, 10, 20, 30)
    assert event.rsvp_deadline == utc(2054, 12, 10, 3)
    assert event.cohort == world.cohort and event.time_zone == "Pacific/Honolulu"
    assert "<script>" not in event.description_html
    assert "<strong>world</strong>" in event.description_html
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    # The manager lives in New York: Honolulu's time first, theirs beside it.
    assert "Thu, Dec 10, 2054, 9:00 AM – 10:30 AM HST · 2:00 PM – 3:30 PM your time" in page
    assert "20 of 20 seats left" in page
    assert "Off the record" in page


def test_a_time_skipped_by_daylight_saving_is_refused_with_a_reason(world, client_for):
    form = {**FORM, "time_zone": "America/New_York", "starts": "2055-03-14T02:30"}
    form["ends"], form["rsvp_deadline"] = "2055-03-14T04:00", ""
    response = client_for("manager").post(
        reverse("events:create"), {**form, "cohort": world.cohort.pk}
    )
    assert response.status_code == 200
    assert "does not exist in America/New_York" in response.content.decode()
    assert not Event.objects.exists()


def test_a_time_that_happens_twice_asks_which_one_is_meant(world, client_for):
    form = {**FORM, "time_zone": "America/New_York", "starts": "2055-11-07T01:30"}
    form["ends"], form["rsvp_deadline"] = "2055-11-07T03:00", ""
    form["cohort"] = world.cohort.pk
    client = client_for("manager")
    response = client.post(reverse("events:create"), form)
    page = response.content.decode()
    assert response.status_code == 200 and not Event.objects.exists()
    assert "happens twice in America/New_York" in page
    assert 'name="starts_which"' in page
    assert "1:30 AM EDT, the first time" in page and "1:30 AM EST, an hour later" in page
    response = client.post(reverse("events:create"), {**form, "starts_which": "1"})
    assert response.status_code == 302
    assert Event.objects.get().starts_at == utc(2055, 11, 7, 6, 30)  # 1:30 EST


def test_a_manager_cannot_schedule_for_another_cohort_or_the_whole_network(world, client_for):
    client = client_for("manager")
    response = client.post(reverse("events:create"), {**FORM, "cohort": world.other_cohort.pk})
    assert response.status_code == 200 and not Event.objects.exists()
    response = client.post(reverse("events:create"), {**FORM, "cohort": ""})
    assert response.status_code == 200 and not Event.objects.exists()


def test_an_administrator_schedules_for_the_whole_network(world, client_for):
    response = client_for("admin").post(reverse("events:create"), {**FORM, "cohort": ""})
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.cohort is None
    page = client_for("outsider").get(reverse("events:detail", args=[event.pk]))
    assert page.status_code == 200


def test_the_video_link_is_shown_only_to_people_going(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    url = reverse("events:detail", args=[event.pk])
    assert event.online_url not in client_for("member").get(url).content.decode()
    services.rsvp(event=event, member=world.member, going=True)
    assert event.online_url in client_for("member").get(url).content.decode()
    assert event.online_url in client_for("manager").get(url).content.decode()


def test_who_is_going_respects_hidden_profiles(world, client_for):
    world.mate.visibility = "hidden"
    world.mate.save()
    event = make_event(None, creator=world.admin)
    for person in (world.member, world.mate):
        services.rsvp(event=event, member=person, going=True)
    page = client_for("outsider").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "Ada Member" in page and "Bo Mate" not in page
    assert "1 other not listed" in page


def test_changing_the_time_tells_everyone_going_with_an_updated_invitation(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, creator=world.manager, start=utc(2054, 12, 1, 19))
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
        services.rsvp(event=event, member=world.mate, going=False)
    mail.outbox.clear()
    form = {**FORM, "time_zone": "America/New_York", "starts": "2054-12-01T15:00"}
    form.update(ends="2054-12-01T16:00", rsvp_deadline="", cohort=world.cohort.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(reverse("events:edit", args=[event.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    event.refresh_from_db()
    assert event.sequence == 1 and event.starts_at == utc(2054, 12, 1, 20)
    # Those going get an updated invitation; the rest of the cohort hears of it once, by the
    # notifications' e-mail (no calendar part).
    invite, news = sorted(mail.outbox, key=lambda m: m.to != [world.member.user.email])
    assert [invite.to, news.to] == [[world.member.user.email], [world.mate.user.email]]
    assert "New time" in invite.subject and "New time" in news.subject
    assert "3:00 PM – 4:00 PM EST" in invite.body
    assert not calendar_parts(news)
    (part,) = calendar_parts(invite)
    vevent = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == 1
    assert vevent.decoded("DTSTART") == utc(2054, 12, 1, 20)


def test_editing_only_the_title_sends_no_mail_but_bumps_the_sequence(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, creator=world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(event=event, editor=world.manager, title="New title")
    event.refresh_from_db()
    assert event.sequence == 1 and mail.outbox == []


def test_cancelling_marks_it_cancelled_and_tells_people_going_and_waiting(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, creator=world.manager, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
        services.rsvp(event=event, member=world.mate, going=True)
    mail.outbox.clear()
    client = client_for("manager")
    assert client.get(reverse("events:cancel", args=[event.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:cancel", args=[event.pk]))
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.member.user.email, world.mate.user.email]
    )
    (part,) = calendar_parts(mail.outbox[0])
    assert part.get_param("method") == "CANCEL"
    vevent = Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]
    assert vevent["STATUS"] == "CANCELLED"
    page = client_for("member").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "This event has been cancelled." in page
    with pytest.raises(services.RSVPRefused):
        services.rsvp(event=event, member=world.outsider, going=True)


def test_members_cannot_edit_or_cancel(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    client = client_for("mate")
    assert client.post(reverse("events:cancel", args=[event.pk])).status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED
    assert RSVPStatus.GOING == "going"
