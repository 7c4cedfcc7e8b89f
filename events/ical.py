"""iCalendar output with the icalendar library: one event, an invitation, a member's feed.

Every time is written in the zone the event was planned in, with that zone's VTIMEZONE, so a
calendar that applies different daylight-saving rules still lands it at the right hour.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Component, vCalAddress, vDuration, vText
from icalendar import Event as VEvent

from events.models import Event
from network.timezones import zone

PRODID = "-//Convene//Events//EN"
REFRESH = timedelta(hours=1)


def organiser_address() -> str:
    from email.utils import parseaddr

    return parseaddr(str(settings.DEFAULT_FROM_EMAIL))[1]


def uid_for(event: Event) -> str:
    return f"{event.uid}@convene"


def vevent(event: Event, *, show_location: bool, attendee_email: str | None = None) -> VEvent:
    tz = zone(event.time_zone)
    item = VEvent()
    item.add("uid", uid_for(event))
    item.add("sequence", event.sequence)
    item.add("dtstamp", datetime.now(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("dtstart", event.starts_at.astimezone(tz))
    item.add("dtend", event.ends_at.astimezone(tz))
    item.add("summary", event.title)
    url = settings.SITE_URL.rstrip("/") + reverse("events:detail", args=[event.pk])
    item.add("url", url)
    description = event.description
    if show_location and event.location_kind == "online" and event.online_url:
        description = f"Join online: {event.online_url}\n\n{description}"
    item.add("description", f"{description}\n\n{url}".strip())
    if show_location and event.location_text:
        item.add("location", event.location_text)
    item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{organiser_address()}")
    organiser.params["cn"] = vText(settings.SITE_NAME)
    item.add("organizer", organiser)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        item.add("attendee", attendee)
    return item


def calendar(
    events: Iterable[Event],
    *,
    show_location: bool,
    method: str | None = None,
    attendee_email: str | None = None,
    name: str | None = None,
) -> bytes:
    """A VCALENDAR holding the events, with every VTIMEZONE they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
        # Asks subscribing clients to refresh hourly rather than daily (both as PT1H: a plain
        # timedelta on an X- property would be written "1:00:00", which no client reads).
        cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    events = list(events)
    for event in events:
        cal.add_component(vevent(event, show_location=show_location, attendee_email=attendee_email))
    if events:
        # Rules for the years the events span (and a year either side) rather than 1970-2038,
        # which would make every invitation several kilobytes of RDATEs.
        first = date(min(e.starts_at for e in events).year - 1, 1, 1)
        last = date(max(e.ends_at for e in events).year + 2, 1, 1)
        cal.add_missing_timezones(first_date=first, last_date=last)
        for timezone in cal.walk("VTIMEZONE"):
            _one_date_per_rdate(timezone)
    return cal.to_ical()


def _one_date_per_rdate(timezone: Component) -> None:
    """Writes each RDATE on a line of its own. icalendar lists several dates on one RDATE line,
    which RFC 5545 allows but Mozilla's ical.js (Thunderbird) reads only the first of, putting
    every later daylight-saving change in the wrong place."""
    for rule in timezone.subcomponents:
        if "RDATE" not in rule:
            continue
        found = rule.pop("RDATE")
        dates = [
            d.dt for rdate in (found if isinstance(found, list) else [found]) for d in rdate.dts
        ]
        for moment in dates:
            rule.add("rdate", moment)


def invitation(event: Event, *, attendee_email: str, cancel: bool = False) -> bytes:
    """The iTIP message Outlook and Google add to a calendar (REQUEST) or remove (CANCEL)."""
    return calendar(
        [event],
        show_location=True,
        method="CANCEL" if cancel else "REQUEST",
        attendee_email=attendee_email,
    )
