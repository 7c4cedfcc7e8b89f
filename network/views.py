"""Pages of the network app: home, cohorts, invitation links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from network import access, services
from network.adapters import INVITATION_SESSION_KEY
from network.models import Role


@login_required
def home(request: HttpRequest) -> HttpResponse:
    cohorts = access.visible_cohorts(request.user).filter(memberships__member__user=request.user)
    return render(request, "network/home.html", {"cohorts": cohorts})


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "network/cohort_list.html", {"cohorts": access.visible_cohorts(request.user)}
    )


@login_required
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_cohort_for(request.user, slug)
    memberships = cohort.memberships.select_related("member__agency").order_by(
        "-role", "member__name"
    )
    return render(
        request,
        "network/cohort_detail.html",
        {"cohort": cohort, "memberships": memberships, "manager_role": Role.MANAGER},
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
