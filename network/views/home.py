"""The member's home page and where invitation links land."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from network import access, peers, services
from network.adapters import INVITATION_SESSION_KEY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cohorts = access.visible_cohorts(request.user).filter(memberships__member__user=request.user)
    member = access.member_for(request.user)
    suggestions = peers.suggest_peers(request.user, member) if member else []
    return render(
        request,
        "network/home.html",
        {"cohorts": cohorts, "member": member, "suggestions": suggestions},
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Where an invitation link lands: joins a signed-in member, else sends to sign-up or login."""
    try:
        invitation = services.open_invitation(signed_token=token)
    except services.InvitationInvalid as problem:
        return render(
            request,
            "network/invitation_invalid.html",
            {"problem": problem},
            status=404 if problem.reason == "unknown" else 410,
        )
    if request.user.is_authenticated:
        services.accept_invitation(invitation=invitation, user=request.user, request=request)
        messages.success(request, f"You have joined {invitation.cohort.name}.")
        return redirect("network:cohort", slug=invitation.cohort.slug)
    request.session[INVITATION_SESSION_KEY] = invitation.pk
    from allauth.account.models import EmailAddress

    if EmailAddress.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, "Sign in to accept your invitation.")
        return redirect("account_login")
    return redirect("account_signup")
