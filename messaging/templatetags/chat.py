"""Chat bits for templates: a room's display name and the header's unread badge."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from messaging import queries
from messaging.access.chat import chat_member_for

register = template.Library()


@register.simple_tag
def room_name(room) -> str:
    return queries.room_title(room)


@register.simple_tag(takes_context=True)
def chat_unread_badge(context) -> str:
    """The total of unread chat messages as a badge, or nothing; one query, and none at all
    for visitors who are not signed in."""
    request = context.get("request")
    member = chat_member_for(request.user) if request is not None else None
    if member is None:
        return ""
    count = queries.total_unread(member)
    if not count:
        return ""
    return format_html(
        '<span class="usa-tag chat-badge" id="chat-unread-badge">{}'
        '<span class="usa-sr-only"> unread chat messages</span></span>',
        count,
    )
