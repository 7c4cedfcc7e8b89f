"""Member profiles: viewing, editing, role history, own data and deactivation."""

from __future__ import annotations

import json
import math

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from network import access, agencies, audit, autocomplete, own_data, ratelimit, seats, services
from network.forms import PositionForm, PredecessorForm, ProfileForm
from network.models import Member, Tag

AUTOCOMPLETE_RATE = (60, 60)  # requests per seconds for one account: a fast typist uses ~10


def _own_member(request: HttpRequest) -> Member:
    return access.require_member(request.user)


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A profile; its owner may also see it as a member of another agency would."""
    member = access.get_member_for(request.user, pk)
    is_own = member.user_id == request.user.pk
    as_stranger = is_own and request.GET.get("view_as") == "network"
    contact = (
        access.contact_fields_for_stranger(member)
        if as_stranger
        else access.contact_fields_for(request.user, member)
    )
    context = {
        "profile": member,
        "contact": contact,
        "positions": seats.history_with_introductions(request.user, member),
        "is_own": is_own,
        "as_stranger": as_stranger,
        "seen_by_strangers": access.seen_by_strangers(member),
        "can_message": not is_own and access.member_for(request.user) is not None,
        "can_link_seats": not as_stranger and access.can_link_seat(request.user, member),
        "expertise": member.expertise.all(),
        "challenges": member.challenges.all(),
    }
    return render(request, "network/profile.html", context)


@login_required
@require_GET
def own_profile(request: HttpRequest) -> HttpResponse:
    """The header's "My profile": one link for every page, without looking the member up there."""
    return redirect("network:member", pk=_own_member(request).pk)


@login_required
@require_GET
def avatar(request: HttpRequest, pk: int) -> FileResponse:
    """Pictures are served through the same visibility rule as the profile they belong to."""
    member = access.get_member_for(request.user, pk)
    if not member.avatar:
        raise Http404("No picture.")
    response = FileResponse(member.avatar.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_profile(
            member=member,
            fields=data,
            expertise=data["expertise_tags"],
            challenges=data["challenge_tags"],
            avatar=data.get("avatar_upload"),
            remove_avatar=data.get("remove_avatar", False),
            request=request,
        )
        messages.success(request, "Your profile has been saved.")
        return redirect("network:member", pk=member.pk)
    suggestion = None
    if member.agency_id is None:
        emails = EmailAddress.objects.filter(user=request.user, verified=True)
        suggestion = agencies.suggest_agency([e.email for e in emails])
    return render(
        request,
        "network/profile_edit.html",
        {"form": form, "profile": member, "suggested_agency": suggestion},
    )


@login_required
def positions(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    form = PositionForm(request.POST or None, viewer=request.user, holder=member)
    if request.method == "POST" and form.is_valid():
        services.add_position(member=member, **form.cleaned_data)
        messages.success(request, "The role has been added to your history.")
        return redirect("network:positions")
    return render(
        request,
        "network/positions.html",
        {
            "form": form,
            "profile": member,
            "positions": seats.history_with_introductions(request.user, member),
        },
    )


@login_required
def position_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A role in one's own history; anyone else's is not found here."""
    member = _own_member(request)
    position = get_object_or_404(member.positions.select_related("succeeds__member"), pk=pk)
    form = PositionForm(request.POST or None, instance=position, viewer=request.user, holder=member)
    if request.method == "POST" and form.is_valid():
        services.update_position(position=position, **form.cleaned_data)
        messages.success(request, "The role has been saved.")
        return redirect("network:positions")
    return render(request, "network/position_edit.html", {"form": form, "position": position})


@login_required
def position_predecessor(request: HttpRequest, member_pk: int, pk: int) -> HttpResponse:
    """Name the previous holder of someone's seat: the holder, their managers or an admin."""
    position = access.get_position_for(request.user, member_pk, pk)
    access.check_can_link_seat(request.user, position.member)
    form = PredecessorForm(request.POST or None, viewer=request.user, position=position)
    if request.method == "POST" and form.is_valid():
        services.link_predecessor(
            position=position,
            succeeds=form.cleaned_data["succeeds"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "The seat's previous holder has been saved.")
        return redirect("network:member", pk=member_pk)
    return render(
        request, "network/position_predecessor.html", {"form": form, "position": position}
    )


@login_required
@require_POST
def left_government(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    services.leave_government(member=member, request=request)
    messages.success(
        request, "Your current role has been closed and you are now listed as an alumnus."
    )
    return redirect("network:positions")


@login_required
def own_data_download(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    response = HttpResponse(
        json.dumps(own_data.collect(member), indent=2, default=str),
        content_type="application/json",
    )
    response["Content-Disposition"] = 'attachment; filename="convene-my-data.json"'
    audit.record("own_data_exported", request=request, target=member)
    return response


@login_required
def own_data_archive(request: HttpRequest) -> HttpResponse:
    """Everything about the member in one zip: JSON, a readable page and their picture."""
    member = _own_member(request)
    response = HttpResponse(own_data.archive(member), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="convene-my-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def deactivate(request: HttpRequest) -> HttpResponse:
    member = _own_member(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.deactivate_account(member=member, request=request)
        logout(request)
        messages.info(request, "Your account has been deactivated.")
        return redirect("account_login")
    return render(request, "network/deactivate.html", {"profile": member})


@login_required
@require_GET
def tag_suggestions(request: HttpRequest) -> JsonResponse:
    """The shared vocabulary for autocomplete: tag names only, never who uses them."""
    q = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL
    tags = Tag.objects.filter(name__icontains=q) if q else Tag.objects.all()
    return JsonResponse({"tags": list(tags.order_by("name").values_list("name", flat=True)[:20])})


@login_required
@require_GET
def member_autocomplete(request: HttpRequest) -> JsonResponse:
    """Names for member pickers: at most ten members the asker may see, rate-limited per account."""
    limit, window = AUTOCOMPLETE_RATE
    user_id = request.user.pk
    assert user_id is not None  # login_required
    wait = ratelimit.retry_after(
        scope="member_autocomplete", user_id=user_id, limit=limit, window=window
    )
    if wait is not None:
        response = JsonResponse({"members": [], "error": "Too many requests."}, status=429)
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    found = autocomplete.members_named(request.user, request.GET.get("q", ""))
    return JsonResponse({"members": [_suggestion(member) for member in found]})


def _suggestion(member: Member) -> dict[str, str | int]:
    return {
        "id": member.pk,
        "name": member.name,
        "headline": member.headline,
        "agency": member.organisation_name,
        "url": reverse("network:member", args=[member.pk]),
    }
