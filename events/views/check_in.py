"""The check-in list at the door: search, mark arrivals, add members who walk in.

For the event's managers (its cohort's managers, or administrators for a network-wide event);
another cohort's event is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from events import access, services
from events.models import RSVP, Event, RSVPStatus
from network.access import require_member, visible_members
from network.models import Member

WALK_IN_LIMIT = 10


def _managed_event(request: HttpRequest, pk: int) -> Event:
    event = access.get_event_for(request.user, pk)
    access.check_can_manage(request.user, event.cohort)
    return event


def _matching(query: str) -> Q:
    return (
        Q(name__icontains=query)
        | Q(agency__acronym__iexact=query)
        | Q(organisation__icontains=query)
    )


def walk_in_candidates(request: HttpRequest, event: Event, query: str) -> list[Member]:
    """Members who could walk in (the cohort's, or anyone's for a network-wide event) and are
    not already going."""
    people = visible_members(request.user).filter(_matching(query))
    if event.cohort_id:
        people = people.filter(memberships__cohort=event.cohort_id)
    going = RSVP.objects.filter(event=event, status=RSVPStatus.GOING).values("member")
    return list(people.exclude(pk__in=going).select_related("agency")[:WALK_IN_LIMIT])


@login_required
def check_in_list(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    query = request.GET.get("q", "").strip()[:100]
    rows = (
        event.rsvps.filter(status__in=[RSVPStatus.GOING, RSVPStatus.WAITLISTED])
        .select_related("member__agency")
        .order_by("member__name")
    )
    if query:
        rows = rows.filter(member__in=Member.objects.filter(_matching(query)))
    context = {
        "event": event,
        "rows": list(rows),
        "query": query,
        "arrived": event.rsvps.filter(checked_in_at__isnull=False).count(),
        "going": event.rsvps.filter(status=RSVPStatus.GOING).count(),
        "walk_ins": walk_in_candidates(request, event, query) if query else [],
    }
    return render(request, "events/check_in.html", context)


@login_required
@require_POST
def check_in_mark(request: HttpRequest, pk: int) -> HttpResponse:
    event = _managed_event(request, pk)
    marker = require_member(request.user)
    member_id = request.POST.get("member", "")
    people = visible_members(request.user)
    if event.cohort_id:
        people = people.filter(memberships__cohort=event.cohort_id)
    member = get_object_or_404(people, pk=int(member_id) if member_id.isdigit() else 0)
    if request.POST.get("action") == "undo":
        services.undo_check_in(event=event, member=member)
        messages.info(request, f"{member.name} is no longer marked as arrived.")
    else:
        services.check_in(event=event, member=member, marker=marker)
        messages.success(request, f"{member.name} has arrived.")
    query = request.POST.get("q", "")
    url = reverse("events:check_in", args=[event.pk])
    search = f"?{urlencode({'q': query})}" if query else ""
    return redirect(f"{url}{search}#member-{member.pk}")
