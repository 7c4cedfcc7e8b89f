"""The member's home page and where invitation links land."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from network import access, peers, services
from network.adapters import INVITATION_SESSION_KEY
from network.models import Invitation, User


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # login_required
    cohorts = access.visible_cohorts(user).filter(memberships__member__user=user)
    member = access.member_for(request.user)
    suggestions = peers.suggest_peers(request.user, member) if member else []
    return render(
        request,
        "network/home.html",
        {"cohorts": cohorts, "member": member, "suggestions": suggestions},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands. Looking changes nothing: joining is an explicit POST.

    Someone signed out is sent to sign in or sign up; the link proves they hold the invited
    address, so signing up with that address needs no second confirmation.
    """
    try:
        invitation = services.open_invitation(signed_token=token)
    except services.InvitationInvalid as problem:
        return render(
            request,
            "network/invitation_invalid.html",
            {"problem": problem},
            status=404 if problem.reason == "unknown" else 410,
        )
    if not request.user.is_authenticated:
        return _to_sign_in(request, invitation)
    if request.method == "POST":
        services.accept_invitation(invitation=invitation, user=request.user, request=request)
        messages.success(request, f"You have joined {invitation.cohort.name}.")
        return redirect("network:cohort", slug=invitation.cohort.slug)
    return render(
        request,
        "network/invitation_accept.html",
        {
            "invitation": invitation,
            "other_address": not services.holds_invited_address(request.user, invitation),
        },
    )


def _to_sign_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    from allauth.account.models import EmailAddress

    request.session[INVITATION_SESSION_KEY] = invitation.pk
    if EmailAddress.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, "Sign in to accept your invitation.")
        return redirect("account_login")
    return redirect("account_signup")
