"""The chat page (rooms, messages, composer), plus plain-form fallbacks for starting
conversations and sending without JavaScript. Live updates come over the /ws/ socket."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from messaging import queries, unread
from messaging.access.chat import chat_member_for, conversable_members, get_room_for
from messaging.forms import DirectForm, GroupForm, SendForm
from messaging.services import chat as services
from network.access import require_member
from network.autocomplete import members_named
from network.models import Member
from network.timezones import zone

PAGE = 50


def _chat_member(request: HttpRequest) -> Member:
    return require_member(request.user)


@login_required
def chat(request: HttpRequest, room_id: int | None = None) -> HttpResponse:
    """The room list and, when one is chosen (or there is one), that room's latest messages."""
    member = chat_member_for(request.user)
    rooms = queries.room_list(member) if member else []
    current = None
    if room_id is not None:
        if member is None:
            raise Http404("No such room.")
        current = next((r for r in rooms if r.pk == room_id), None) or get_room_for(member, room_id)
    elif rooms:
        current = rooms[0]
    context: dict = {"rooms": rooms, "room": current, "member": member}
    # What waits in the other rooms, on the "Rooms" control that folds them away on a phone.
    context["other_unread"] = sum(
        getattr(r, "unread", 0) for r in rooms if current is None or r.pk != current.pk
    )
    if current is not None and member is not None:
        context |= queries.room_page(member, current, PAGE)
        context["send_form"] = SendForm(initial={"client_id": uuid.uuid4().hex})
    if member is not None:
        context["group_form"] = GroupForm(member=member)
        # Messages are shown in the member's own zone, by the page and by chat.js alike.
        context["time_zone"] = zone(member.time_zone).key
    return render(request, "messaging/chat.html", context)


@login_required
def unread_total(request: HttpRequest) -> JsonResponse:
    """The header badge's total, for chat-badge.js: cached, else one query."""
    member = chat_member_for(request.user)
    return JsonResponse({"unread": unread.total_for(member) if member else 0})


@login_required
@require_POST
def send(request: HttpRequest, room_id: int) -> HttpResponse:
    """Sending without JavaScript: the same service, the same idempotency on client_id."""
    member = _chat_member(request)
    room = get_room_for(member, room_id)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.send_message(member=member, room=room, **form.cleaned_data)
        except services.ChatRefused as refusal:
            messages.error(request, refusal.message)
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("messaging:room", room_id=room.pk)


@login_required
@require_POST
def start_direct(request: HttpRequest) -> HttpResponse:
    """Opens (or makes) the conversation and lands in its message box. The picker posts the
    chosen member's id; without JavaScript it posts the typed name, looked up here."""
    member = _chat_member(request)
    form = DirectForm(request.POST)
    if not form.is_valid():
        raise Http404("No such member.")
    if form.cleaned_data["member"] is None:
        return _start_direct_by_name(request, form.cleaned_data["name"])
    other = get_object_or_404(conversable_members(member), pk=form.cleaned_data["member"])
    return _open_direct(member, other)


def _start_direct_by_name(request: HttpRequest, name: str) -> HttpResponse:
    found = members_named(request.user, name)
    if len(found) != 1:
        messages.error(request, _NAME_PROBLEM[min(len(found), 2)].format(name=name))
        return redirect("messaging:chat")
    return _open_direct(_chat_member(request), found[0])


_NAME_PROBLEM = {
    0: "No member you can see is called “{name}”.",
    2: "Several members match “{name}”: type more of the name and choose one from the list.",
}


def _open_direct(member: Member, other: Member) -> HttpResponse:
    try:
        room = services.start_direct(member=member, other=other)
    except services.ChatRefused:
        raise Http404("No such member.") from None
    return redirect(reverse("messaging:room", args=[room.pk]) + "?write=1")


@login_required
@require_POST
def start_group(request: HttpRequest) -> HttpResponse:
    member = _chat_member(request)
    form = GroupForm(request.POST, member=member)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("messaging:chat")
    try:
        room = services.create_group(
            creator=member, name=form.cleaned_data["name"], members=form.cleaned_data["members"]
        )
    except services.ChatRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("messaging:chat")
    return redirect("messaging:room", room_id=room.pk)
