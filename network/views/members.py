"""Member profiles: viewing, editing, role history, own data and deactivation."""

from __future__ import annotations

import json

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from network import access, agencies, own_data, services
from network.forms import PositionForm, ProfileForm
from network.models import Position, Tag


def _own_member(request: HttpRequest):
    member = access.member_for(request.user)
    if member is None:
        raise PermissionDenied("This account has no member profile.")
    return member


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    member = access.get_member_for(request.user, pk)
    context = {
        "profile": member,
        "contact": access.contact_fields_for(request.user, member),
        "positions": _positions_with_visible_links(request.user, member),
        "is_own": member.user_id == request.user.pk,
        "expertise": member.expertise.all(),
        "challenges": member.challenges.all(),
    }
    return render(request, "network/profile.html", context)


def _positions_with_visible_links(user, member) -> list[Position]:
    """Role history, with seat predecessors and successors only where the viewer may see them."""
    positions = list(
        member.positions.select_related("agency", "succeeds__member").prefetch_related(
            "successors__member"
        )
    )
    linked = {p.succeeds.member_id for p in positions if p.succeeds_id}
    linked |= {s.member_id for p in positions for s in p.successors.all()}
    visible = set(access.visible_members(user).filter(pk__in=linked).values_list("pk", flat=True))
    for position in positions:
        before = position.succeeds
        position.visible_predecessor = (
            before.member if before and before.member_id in visible else None
        )
        position.visible_successors = [
            s.member for s in position.successors.all() if s.member_id in visible
        ]
    return positions


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
    form = PositionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_position(member=member, **form.cleaned_data)
        messages.success(request, "The role has been added to your history.")
        return redirect("network:positions")
    return render(
        request,
        "network/positions.html",
        {"form": form, "profile": member, "positions": member.positions.select_related("agency")},
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
    q = request.GET.get("q", "").strip()
    tags = Tag.objects.filter(name__icontains=q) if q else Tag.objects.all()
    return JsonResponse({"tags": list(tags.order_by("name").values_list("name", flat=True)[:20])})
