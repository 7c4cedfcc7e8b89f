"""Event pages: lists, month, create and edit, detail, RSVP and attendance."""

from __future__ import annotations

import calendar as monthcal
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from events import access, calendar_links, discussion, services
from events.forms import EventForm
from events.models import RSVP, Event, Poll, PollStatus, RSVPStatus
from network.access import (
    can_manage,
    member_for,
    require_member,
    visible_cohorts,
    visible_members,
)
from network.timezones import DEFAULT_ZONE, zone


def _zone_of(request: HttpRequest) -> str:
    member = member_for(request.user)
    return member.time_zone if member else DEFAULT_ZONE


def _filtered(request: HttpRequest, events):
    """Narrows a list to one cohort or program the viewer can see (?cohort= / ?program=)."""
    # A NUL can match no slug, and PostgreSQL refuses it in a query.
    cohort, program = (request.GET.get(k, "").replace("\x00", "") for k in ("cohort", "program"))
    if cohort:
        events = events.filter(cohort__slug=cohort)
    if program:
        events = events.filter(cohort__program__slug=program)
    return events, {"cohort": cohort, "program": program}


def _list_context(request: HttpRequest, events, *, past: bool) -> dict:
    member = member_for(request.user)
    events, chosen = _filtered(request, events.for_listing(member))
    cohorts = list(visible_cohorts(request.user))
    programs = {c.program.slug: c.program for c in cohorts}
    return {
        "events": list(events[:200]),
        "past": past,
        "cohorts": cohorts,
        "programs": sorted(programs.values(), key=lambda p: p.name),
        "chosen": chosen,
        "can_schedule": access.can_schedule(request.user),
        "today": timezone.now().astimezone(zone(_zone_of(request))).date(),
    }


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).upcoming()
    context = _list_context(request, events, past=False)
    context["polls"] = list(
        Poll.objects.visible_to(request.user)
        .filter(status=PollStatus.OPEN)
        .select_related("cohort")[:20]
    )
    return render(request, "events/event_list.html", context)


@login_required
def event_past(request: HttpRequest) -> HttpResponse:
    events = Event.objects.visible_to(request.user).past()
    return render(request, "events/event_list.html", _list_context(request, events, past=True))


@login_required
def month(request: HttpRequest, year: int, month: int) -> HttpResponse:
    if not (1 <= month <= 12 and 1900 < year < 3000):
        raise Http404("No such month.")
    tz = zone(_zone_of(request))
    first = date(year, month, 1)
    weeks = monthcal.Calendar(firstweekday=6).monthdatescalendar(year, month)
    start = datetime.combine(weeks[0][0], datetime.min.time(), tz)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), datetime.min.time(), tz)
    member = member_for(request.user)
    events, chosen = _filtered(
        request,
        Event.objects.visible_to(request.user)
        .for_listing(member)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at"),
    )
    by_day: dict[date, list[Event]] = defaultdict(list)
    for event in events:
        by_day[event.starts_at.astimezone(tz).date()].append(event)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    context = {
        "first": first,
        "weeks": [[(d, by_day.get(d, []), d.month == month) for d in week] for week in weeks],
        "previous": previous,
        "following": following,
        "chosen": chosen,
        "zone_name": tz.key,
    }
    return render(request, "events/month.html", context)


@login_required
def this_month(request: HttpRequest) -> HttpResponse:
    today = timezone.now().astimezone(zone(_zone_of(request)))
    return redirect("events:month", year=today.year, month=today.month)


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    access.check_can_schedule(request.user)
    member = require_member(request.user)
    form = EventForm(
        request.POST or None, user=request.user, initial={"time_zone": member.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        access.check_can_manage(request.user, cohort)
        event = services.create_event(creator=member, cohort=cohort, **form.event_fields())
        messages.success(request, "The event is scheduled.")
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    access.check_can_manage(request.user, event.cohort)
    member = require_member(request.user)
    form = EventForm(request.POST or None, user=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        cohort = form.cleaned_data["cohort"]
        access.check_can_manage(request.user, cohort)
        before = (event.starts_at, event.ends_at)
        event = services.update_event(
            event=event, editor=member, cohort=cohort, **form.event_fields()
        )
        moved = before != (event.starts_at, event.ends_at)
        messages.success(
            request,
            "Changes saved. Everyone going is told of the new time." if moved else "Changes saved.",
        )
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    access.check_can_manage(request.user, event.cohort)
    if request.method == "POST":
        services.cancel_event(event=event, editor=require_member(request.user))
        messages.success(request, "The event is cancelled and everyone going has been told.")
        return redirect("events:detail", pk=event.pk)
    return render(request, "events/event_cancel.html", {"event": event})


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    member = member_for(request.user)
    mine = RSVP.objects.filter(event=event, member=member).first() if member else None
    going = event.rsvps.filter(status=RSVPStatus.GOING)
    taken = going.count()
    shown = list(
        going.filter(member__in=visible_members(request.user))
        .select_related("member__agency")
        .order_by("member__name")
    )
    manages = can_manage(request.user, event.cohort)
    waitlist_position = None
    if mine and mine.status == RSVPStatus.WAITLISTED:
        waitlist_position = event.rsvps.filter(
            status=RSVPStatus.WAITLISTED, waitlisted_at__lte=mine.waitlisted_at
        ).count()
    show_location = access.shows_location(mine, manages=manages)
    context = {
        "event": event,
        "mine": mine,
        "taken": taken,
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "shown": shown,
        "unlisted": taken - len(shown),
        "can_manage": manages,
        "show_location": show_location,
        "google_url": calendar_links.google_url(event, show_location=show_location),
        "outlook_url": calendar_links.outlook_url(event, show_location=show_location),
        "waitlist_position": waitlist_position,
        "waitlist_count": event.rsvps.filter(status=RSVPStatus.WAITLISTED).count(),
        "discussion": discussion.thread_for(request.user, event),
    }
    return render(request, "events/event_detail.html", context)


@login_required
@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    member = require_member(request.user)
    going = request.POST.get("answer") == "going"
    try:
        row = services.rsvp(event=event, member=member, going=going)
    except services.RSVPRefused as problem:
        messages.error(request, str(problem))
        return redirect("events:detail", pk=event.pk)
    messages.success(
        request,
        {
            RSVPStatus.GOING: "You're going. A calendar invitation is on its way by e-mail.",
            RSVPStatus.WAITLISTED: "The event is full: you're on the waitlist. "
            "We'll e-mail you if a seat opens up.",
            RSVPStatus.DECLINED: "You're not going.",
        }[RSVPStatus(row.status)],
    )
    return redirect("events:detail", pk=event.pk)


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = access.get_event_for(request.user, pk)
    access.check_can_manage(request.user, event.cohort)
    if not event.starts_at <= timezone.now():
        messages.info(request, "Attendance can be marked once the event has started.")
        return redirect("events:detail", pk=event.pk)
    going = list(
        event.rsvps.filter(status=RSVPStatus.GOING)
        .select_related("member")
        .order_by("member__name")
    )
    if request.method == "POST":
        # "³".isdigit() is true but int("³") fails: only ASCII digits are ids.
        chosen = {int(v) for v in request.POST.getlist("attended") if v.isascii() and v.isdigit()}
        count = services.mark_attendance(
            event=event, attended_member_ids=chosen, marker=require_member(request.user)
        )
        messages.success(request, f"Attendance saved: {count} of {len(going)} attended.")
        return redirect("events:attendance", pk=event.pk)
    return render(request, "events/attendance.html", {"event": event, "going": going})
