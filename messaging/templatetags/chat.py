"""Chat bits for templates: a room's display name, a message's time, the header's unread
badge and a cohort's room for the cohort page."""

from __future__ import annotations

from datetime import datetime

from django import template

from messaging import queries, unread
from messaging.models import Room
from network.access import member_for
from network.timezones import clock, zone

register = template.Library()


@register.simple_tag
def room_name(room) -> str:
    return queries.room_title(room)


@register.inclusion_tag("messaging/_unread_badge.html", takes_context=True)
def chat_unread_badge(context) -> dict:
    """The total of unread chat messages as a badge inside the header's Chat link, which then
    reads "Chat 3 unread" (as the bell reads "Notifications 3 unread"). From the cache only,
    so it costs a page no query; when the cache has no total the badge stays hidden and
    static/js/chat-badge.js asks for it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shown": False}
    return {"shown": True, "total": unread.cached_total(user.pk)}


@register.simple_tag(takes_context=True)
def cohort_chat_room(context, cohort) -> Room | None:
    """The cohort's room with the viewer's ``unread`` count, or None when they are not in it
    (for the cohort page, which network draws without importing messaging). One query."""
    member = member_for(context["request"].user)
    return queries.cohort_room(member, cohort.pk) if member else None


@register.filter
def chat_time(moment: datetime, zone_name: str) -> str:
    """A message's time as chat.js writes a live one: "5:39 PM" in the member's zone."""
    return clock(moment.astimezone(zone(zone_name)))
