"""The home page's announcements block ({% load announcements %}{% home_announcements %}) and
the cohort page's announcements.

Template tags, so that the network app's pages can show them without importing messaging.
"""

from __future__ import annotations

from django import template
from django.db.models import Q

from messaging.announcements.models import Announcement, Audience
from network.access import member_for

register = template.Library()


@register.inclusion_tag("announcements/_home.html", takes_context=True)
def home_announcements(context, limit: int = 5) -> dict:
    request = context["request"]
    member = member_for(request.user)
    rows = list(Announcement.objects.for_home(member)[:limit]) if member else []
    return {"announcements": rows, "request": request, "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def cohort_announcements(context, cohort, limit: int = 20) -> list[Announcement]:
    """What the cohort page lists: live announcements to this cohort or its program that the
    viewer has not dismissed (the home page's rule, narrowed to the cohort). One query."""
    member = member_for(context["request"].user)
    if member is None:
        return []
    to_cohort = Q(audience=Audience.COHORT, cohort_id=cohort.pk)
    to_program = Q(audience=Audience.PROGRAM, program_id=cohort.program_id)
    return list(Announcement.objects.for_home(member).filter(to_cohort | to_program)[:limit])
