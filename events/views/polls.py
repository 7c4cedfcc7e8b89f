"""Availability polls: create, answer, close into an event, remind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from events import access, services
from events.forms import PollAnswerForm, PollCloseForm, PollForm
from events.models import Poll, PollStatus, PollVote
from events.views.events import _zone_of
from network.access import (
    can_manage,
    member_for,
    require_member,
    visible_members,
)
from network.timezones import describe


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
