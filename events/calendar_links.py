""" "Add to Google Calendar" and "Add to Outlook.com" addresses for one event.

Both services take the event in the address itself; times go as UTC so that neither has to
guess a zone. The place and the online link are included only for people who may see them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.urls import reverse

from events.models import Event
from network.mail import absolute

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/action/compose"
DETAILS_LIMIT = 1000  # the whole address must stay under the ~2,000 characters browsers take


def _details(event: Event, *, show_location: bool) -> str:
    text = event.description[:DETAILS_LIMIT]
    if show_location and event.online_url:
        text = f"Join online: {event.online_url}\n\n{text}"
    return f"{text}\n\n{absolute(reverse('events:detail', args=[event.pk]))}".strip()


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_url(event: Event, *, show_location: bool) -> str:
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{_stamp(event.starts_at)}/{_stamp(event.ends_at)}",
        "details": _details(event, show_location=show_location),
        "ctz": event.time_zone,
    }
    if show_location and event.location_text:
        query["location"] = event.location_text
    return f"{GOOGLE}?{urlencode(query)}"


def outlook_url(event: Event, *, show_location: bool) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": event.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": event.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": _details(event, show_location=show_location),
    }
    if show_location and event.location_text:
        query["location"] = event.location_text
    return f"{OUTLOOK}?{urlencode(query)}"


def google_subscribe_url(feed_url: str) -> str:
    """Google Calendar's "add by URL" for a feed (it takes the webcal:// form)."""
    webcal = feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1)
    return f"https://calendar.google.com/calendar/r?{urlencode({'cid': webcal})}"


def outlook_subscribe_url(feed_url: str, name: str) -> str:
    """Outlook.com's "subscribe from web" for a feed."""
    query = urlencode({"url": feed_url, "name": name})
    return f"https://outlook.live.com/calendar/0/addfromweb?{query}"
