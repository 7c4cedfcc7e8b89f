# ruff: noqa: RUF001 - the en dash is what people read between start and end times
"""Calendar files: per-event .ics, the invitation in the confirmation e-mail, the private feed."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import services
from events.models import CalendarFeed
from tests.events.builders import make_event, utc


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def only_event(cal: Calendar):
    (vevent,) = cal.walk("VEVENT")
    return vevent


def test_event_ics_round_trips_the_time_with_its_zone(world, client_for):
    event = make_event(
        world.cohort, start=utc(2055, 3, 15, 19), time_zone="Pacific/Honolulu", title="Talk"
    )
    response = client_for("member").get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal = parse(response.content)
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Pacific/Honolulu"
    vevent = only_event(cal)
    start = vevent.decoded("DTSTART")
    assert start == utc(2055, 3, 15, 19)
    assert start.tzinfo.key == "Pacific/Honolulu" if hasattr(start.tzinfo, "key") else True
    assert vevent["DTSTART"].params["TZID"] == "Pacific/Honolulu"
    assert vevent.decoded("DTEND") - start == timedelta(hours=1)
    assert str(vevent["UID"]) == f"{event.uid}@convene"
    assert vevent["SEQUENCE"] == 0 and vevent["STATUS"] == "CONFIRMED"
    # The link is only for people going; this member has not answered.
    assert "LOCATION" not in vevent and event.online_url not in response.content.decode()


def test_uid_is_stable_and_sequence_rises_with_each_change(world, client_for):
    event = make_event(world.cohort)
    client = client_for("member")
    first = only_event(parse(client.get(reverse("events:ics", args=[event.pk])).content))
    shift = timedelta(hours=2)
    services.update_event(
        event=event,
        editor=world.manager,
        starts_at=event.starts_at + shift,
        ends_at=event.ends_at + shift,
    )
    services.cancel_event(event=event, editor=world.manager)
    second = only_event(parse(client.get(reverse("events:ics", args=[event.pk])).content))
    assert first["UID"] == second["UID"]
    assert second["SEQUENCE"] == 2 and second["STATUS"] == "CANCELLED"


def test_confirmation_email_carries_an_outlook_invitation(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, start=utc(2055, 1, 20, 15), title="Deputies dinner")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes())
    (part,) = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    cal = parse(part.get_payload(decode=True))
    assert cal["METHOD"] == "REQUEST" and cal.walk("VTIMEZONE")
    vevent = only_event(cal)
    assert vevent.decoded("DTSTART") == utc(2055, 1, 20, 15)
    assert "ORGANIZER" in vevent
    assert str(vevent["ATTENDEE"]) == f"mailto:{world.member.user.email}"
    assert vevent["LOCATION"] == event.online_url
    assert "Wed, Jan 20, 2055, 10:00 AM – 11:00 AM EST" in message.body


def test_feed_lists_what_the_member_is_going_to_and_calendars_see_cancellations(world, client_for):
    going = make_event(world.cohort, title="Going", start=utc(2055, 7, 4, 16))
    cancelled = make_event(world.cohort, title="Cancelled one")
    past = make_event(world.cohort, title="Last week", start=timezone.now() - timedelta(days=7))
    declined = make_event(world.cohort, title="Declined")
    for event in (going, cancelled):
        services.rsvp(event=event, member=world.member, going=True)
    past.rsvps.create(member=world.member, status="going")
    services.rsvp(event=declined, member=world.member, going=False)
    services.cancel_event(event=cancelled, editor=world.manager)
    client = client_for("member")
    page = client.get(reverse("events:calendar")).content.decode()
    token = CalendarFeed.objects.get(member=world.member).token
    assert token in page

    client.logout()  # calendar apps have no session: the token is the credential
    response = client.get(reverse("events:feed", args=[token]))
    assert response.status_code == 200
    cal = parse(response.content)
    assert cal.walk("VTIMEZONE")
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Going", "Cancelled one", "Last week"}
    assert events["Cancelled one"]["STATUS"] == "CANCELLED"
    assert events["Going"].decoded("DTSTART").astimezone(ZoneInfo("UTC")) == utc(2055, 7, 4, 16)
    assert events["Going"]["LOCATION"] == going.online_url


def test_resetting_the_feed_makes_the_old_address_404(world, client_for):
    client = client_for("member")
    client.get(reverse("events:calendar"))
    old = CalendarFeed.objects.get(member=world.member).token
    client.post(reverse("events:calendar"))
    new = CalendarFeed.objects.active().get(member=world.member).token
    assert new != old
    client.logout()
    assert client.get(reverse("events:feed", args=[old])).status_code == 404
    assert client.get(reverse("events:feed", args=[new])).status_code == 200
    assert client.get(reverse("events:feed", args=["not-a-token"])).status_code == 404


def test_feed_leaves_out_a_cohort_the_member_has_left(world, client_for):
    event = make_event(world.cohort)
    services.rsvp(event=event, member=world.member, going=True)
    world.member.memberships.all().delete()
    feed = services.get_or_create_feed(member=world.member)
    response = client_for("anonymous").get(reverse("events:feed", args=[feed.token]))
    assert parse(response.content).walk("VEVENT") == []


def test_the_vtimezone_alone_puts_summer_and_winter_events_at_the_right_hour(world, client_for):
    """A client that ignores the TZID name and uses only the VTIMEZONE rules still agrees."""
    summer = make_event(world.cohort, title="Summer", start=utc(2055, 7, 4, 16))
    winter = make_event(world.cohort, title="Winter", start=utc(2055, 12, 6, 17))
    for event in (summer, winter):
        services.rsvp(event=event, member=world.member, going=True)
    feed = services.get_or_create_feed(member=world.member)
    cal = parse(client_for("anonymous").get(reverse("events:feed", args=[feed.token])).content)
    (vtimezone,) = cal.walk("VTIMEZONE")
    rules = vtimezone.to_tz(lookup_tzid=False)  # built from the file's rules, not by name
    for vevent in cal.walk("VEVENT"):
        wall = vevent.decoded("DTSTART").replace(tzinfo=None)
        expected = summer.starts_at if str(vevent["SUMMARY"]) == "Summer" else winter.starts_at
        assert wall.replace(tzinfo=rules).astimezone(ZoneInfo("UTC")) == expected


def _mail_parts(message) -> tuple:
    parsed = message_from_bytes(message.message().as_bytes())
    (alternative,) = [p for p in parsed.walk() if p.get_content_type() == "multipart/alternative"]
    inside = [p.get_content_type() for p in alternative.get_payload()]
    files = [p for p in parsed.walk() if p.get_filename()]
    calendar_part = alternative.get_payload()[-1]
    return parsed, inside, files, calendar_part


def test_invitation_update_and_cancellation_come_as_outlook_and_google_send_them(
    world, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, start=utc(2055, 1, 20, 15), title="Deputies dinner")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            event=event,
            editor=world.manager,
            starts_at=utc(2055, 1, 21, 15),
            ends_at=utc(2055, 1, 21, 16),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, editor=world.manager)
    # The rest of the cohort hears of the new time and the cancellation as news (no invitation).
    invite, update, cancel = [m for m in mail.outbox if world.member.user.email in m.to]
    expected = [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]
    for message, (method, sequence) in zip((invite, update, cancel), expected, strict=True):
        parsed, inside, files, calendar_part = _mail_parts(message)
        assert parsed.get_content_type() == "multipart/mixed"
        assert inside == ["text/plain", "text/html", "text/calendar"]
        assert calendar_part.get_param("method") == method
        (ics,) = files
        assert ics.get_content_type() == "application/ics"
        assert ics.get_filename() == ("cancel.ics" if method == "CANCEL" else "invite.ics")
        for payload in (calendar_part.get_payload(decode=True), ics.get_payload(decode=True)):
            cal = parse(payload)
            assert cal["METHOD"] == method and only_event(cal)["SEQUENCE"] == sequence
        assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert only_event(parse(_mail_parts(cancel)[3].get_payload(decode=True)))["STATUS"] == (
        "CANCELLED"
    )


def test_event_page_and_mail_offer_google_and_outlook_beside_the_ics(
    world, client_for, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, start=utc(2055, 1, 20, 15), title="Deputies dinner")
    page = client_for("member").get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert "dates=20550120T150000Z%2F20550120T160000Z" in page
    assert "outlook.live.com/calendar/0/action/compose?" in page
    assert "startdt=2055-01-20T15%3A00%3A00Z" in page
    assert event.online_url.replace(":", "%3A") not in page  # not going: no link
    assert reverse("events:ics", args=[event.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp(event=event, member=world.member, going=True)
    (message,) = mail.outbox
    assert "calendar.google.com" in message.body and "outlook.live.com" in message.body
    feed_page = client_for("member").get(reverse("events:calendar")).content.decode()
    assert "calendar.google.com/calendar/r?cid=webcal" in feed_page
    assert "outlook.live.com/calendar/0/addfromweb?url=" in feed_page
