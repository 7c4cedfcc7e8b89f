"""Pages of the events app: authenticate, check access, call one service or query, render."""

from __future__ import annotations

import calendar as monthcal
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from events import access, calendar_links, discussion, ical, services
from events.forms import EventForm, PollAnswerForm, PollCloseForm, PollForm
from events.models import RSVP, Event, Poll, PollStatus, PollVote, RSVPStatus
from network.access import (
    can_manage,
    member_for,
    require_member,
    visible_cohorts,
    visible_members,
)
from network.timezones import DEFAULT_ZONE, describe, zone


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


# Polls --------------------------------------------------------------------------------------


@login_required
def poll_create(request: HttpRequest) -> HttpResponse:
    access.check_can_schedule(request.user)
    member = require_member(request.user)
    form = PollForm(
        request.POST or None, user=request.user, initial={"time_zone": member.time_zone}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        access.check_can_manage(request.user, data["cohort"])
        poll = services.create_poll(
            creator=member,
            cohort=data["cohort"],
            title=data["title"],
            description=data["description"],
            time_zone=data["time_zone"],
            duration_minutes=data["duration_minutes"],
            slot_starts=data["slot_starts"],
            closes_at=data["closes_at"],
        )
        messages.success(request, "The poll is open and the cohort has been asked.")
        return redirect("events:poll", pk=poll.pk)
    return render(request, "events/poll_form.html", {"form": form})


def _slot_labels(request: HttpRequest, poll: Poll, slots) -> dict[int, str]:
    viewer = _zone_of(request)
    return {s.pk: describe(s.starts_at, s.ends_at, poll.time_zone, viewer) for s in slots}


def _poll_page(request: HttpRequest, poll: Poll, *, answer_form=None, close_form=None):
    member = member_for(request.user)
    scores = services.score_slots(poll)
    slots = [s.slot for s in scores]
    labels = _slot_labels(request, poll, slots)
    mine = {}
    if member:
        mine = dict(
            PollVote.objects.filter(slot__poll=poll, member=member).values_list("slot_id", "answer")
        )
    manages = can_manage(request.user, poll.cohort)
    is_open = poll.status == PollStatus.OPEN
    if answer_form is None and is_open and member and access.can_answer_poll(request.user, poll):
        answer_form = PollAnswerForm(
            slots=slots, labels=labels, initial={f"slot_{k}": v for k, v in mine.items()}
        )
    if close_form is None and is_open and manages:
        best = next((s.slot for s in scores if s.best), None)
        close_form = PollCloseForm(
            poll=poll, labels=labels, initial={"slot": best.pk if best else None}
        )
    votes = (
        PollVote.objects.filter(slot__poll=poll, member__in=visible_members(request.user))
        .select_related("member")
        .order_by("member__name")
    )
    grid: dict = {}
    for vote in votes:
        grid.setdefault(vote.member, {})[vote.slot_id] = vote.get_answer_display()
    rows = [(person, [answers.get(s.pk, "—") for s in slots]) for person, answers in grid.items()]
    context = {
        "poll": poll,
        "scores": [(s, labels[s.slot.pk]) for s in scores],
        "answer_form": answer_form,
        "close_form": close_form,
        "can_manage": manages,
        "rows": rows,
        "slots": slots,
        "labels": labels,
        "non_responders": services.poll_non_responders(poll).count() if manages else None,
        "viewer_zone": _zone_of(request),
    }
    return render(request, "events/poll_detail.html", context)


@login_required
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    poll = access.get_poll_for(request.user, pk)
    if request.method != "POST":
        return _poll_page(request, poll)
    member = require_member(request.user)
    if not access.can_answer_poll(request.user, poll):
        raise PermissionDenied("Only the cohort's members answer its polls.")
    slots = list(poll.slots.all())
    form = PollAnswerForm(request.POST, slots=slots, labels=_slot_labels(request, poll, slots))
    if form.is_valid():
        try:
            services.answer_poll(poll=poll, member=member, answers=form.answers())
        except services.RSVPRefused as problem:
            messages.error(request, str(problem))
        else:
            messages.success(request, "Thank you: your answers are saved.")
        return redirect("events:poll", pk=poll.pk)
    return _poll_page(request, poll, answer_form=form)


@login_required
@require_POST
def poll_close(request: HttpRequest, pk: int) -> HttpResponse:
    poll = access.get_poll_for(request.user, pk)
    access.check_can_manage(request.user, poll.cohort)
    slots = list(poll.slots.all())
    form = PollCloseForm(request.POST, poll=poll, labels=_slot_labels(request, poll, slots))
    if not form.is_valid():
        return _poll_page(request, poll, close_form=form)
    data = form.cleaned_data
    try:
        event = services.close_poll(
            poll=poll,
            slot=data["slot"],
            closer=require_member(request.user),
            location_kind=data["location_kind"],
            address=data["address"],
            online_url=data["online_url"],
            capacity=data["capacity"],
        )
    except services.RSVPRefused as problem:
        messages.error(request, str(problem))
        return redirect("events:poll", pk=poll.pk)
    messages.success(request, "The poll is closed and everyone who answered is invited.")
    return redirect("events:detail", pk=event.pk)


@login_required
@require_POST
def poll_remind(request: HttpRequest, pk: int) -> HttpResponse:
    poll = access.get_poll_for(request.user, pk)
    access.check_can_manage(request.user, poll.cohort)
    sent = services.remind_poll_non_responders(poll=poll)
    messages.success(request, f"Reminders sent: {sent}. Nobody is reminded twice.")
    return redirect("events:poll", pk=poll.pk)
