"""Calendar files: one event's .ics, the personal feed and its settings page."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from events import access, calendar_links, ical, services
from events.models import Event, RSVPStatus
from network.access import (
    can_manage,
    member_for,
    require_member,
)


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    member = member_for(request.user)
    mine = event.rsvps.filter(member=member).first() if member else None
    manages = can_manage(request.user, event.cohort)
    content = ical.calendar([event], show_location=access.shows_location(mine, manages=manages))
    return _calendar_response(content, f"event-{event.pk}.ics")


@login_required
def calendar_feed_settings(request: HttpRequest) -> HttpResponse:
    member = require_member(request.user)
    if request.method == "POST":
        feed = services.reset_feed(member=member)
        messages.success(request, "Your old calendar address no longer works. Here is a new one.")
    else:
        feed = services.get_or_create_feed(member=member)
    url = request.build_absolute_uri(reverse("events:feed", args=[feed.token]))
    return render(
        request,
        "events/calendar_feed.html",
        {
            "feed_url": url,
            "webcal_url": url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "google_url": calendar_links.google_subscribe_url(url),
            "outlook_url": calendar_links.outlook_subscribe_url(
                url, f"{settings.SITE_NAME} events"
            ),
        },
    )


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's subscribed calendar. The token is the credential: unknown or revoked is 404."""
    member = access.get_feed_member(token)
    since = timezone.now() - timedelta(days=365)
    events = (
        Event.objects.visible_to(member.user)
        .filter(rsvps__member=member, rsvps__status=RSVPStatus.GOING, ends_at__gte=since)
        .order_by("starts_at")
    )
    content = ical.calendar(events, show_location=True, name=f"{member.name} · Convene")
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
