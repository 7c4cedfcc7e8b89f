"""The home page's announcements block ({% load announcements %}{% home_announcements %}).

A template tag, so that the network app's home page can show it without importing messaging.
"""

from __future__ import annotations

from django import template

from messaging.announcements.models import Announcement
from network.access import member_for

register = template.Library()


@register.inclusion_tag("announcements/_home.html", takes_context=True)
def home_announcements(context, limit: int = 5) -> dict:
    request = context["request"]
    member = member_for(request.user)
    rows = list(Announcement.objects.for_home(member)[:limit]) if member else []
    return {"announcements": rows, "request": request, "csrf_token": context.get("csrf_token")}
