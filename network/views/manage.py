"""The manage pages that scale: a cohort's roster and invitations, a page at a time, with
search, sorting, a status filter and actions on the selection."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from network import access, manage_lists, services


def _ids(request: HttpRequest) -> list[int]:
    # "³".isdigit() is true but int("³") fails: only ASCII digits are ids.
    return [int(v) for v in request.POST.getlist("chosen") if v.isascii() and v.isdigit()]


def _back(request: HttpRequest, name: str, slug: str) -> HttpResponse:
    """Back to the list as it was: its query string goes through redirect(), which encodes it
    (added to the Location header as sent, a line break in it was a server error)."""
    query = request.POST.get("return", "")
    return redirect(reverse(name, kwargs={"slug": slug}) + (query if query.startswith("?") else ""))


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    listing = manage_lists.roster(
        cohort,
        query=request.GET.get("q", "").strip()[:100],
        sort=request.GET.get("sort", "name"),
        page=request.GET.get("page"),
    )
    context = {"cohort": cohort, "listing": listing, "sorts": manage_lists.ROSTER_SORTS}
    return render(request, "network/manage_roster.html", context)


@login_required
@require_POST
def roster_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Removes the chosen members from the cohort (each removal is audited)."""
    cohort = access.get_managed_cohort_for(request.user, slug)
    removed = 0
    if request.POST.get("action") == "remove":
        chosen = manage_lists.chosen_memberships(cohort, _ids(request))
        removed = services.remove_members(memberships=chosen, actor=request.user, request=request)
    messages.success(request, f"{removed} member{'s' if removed != 1 else ''} removed.")
    return _back(request, "network:roster_manage", slug)


@login_required
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    listing = manage_lists.invitations(
        cohort,
        query=request.GET.get("q", "").strip()[:100],
        status=request.GET.get("status", ""),
        sort=request.GET.get("sort", "-created"),
        page=request.GET.get("page"),
    )
    context = {
        "cohort": cohort,
        "listing": listing,
        "sorts": manage_lists.INVITATION_SORTS,
        "statuses": manage_lists.STATUSES,
    }
    return render(request, "network/manage_invitations.html", context)


@login_required
@require_POST
def invitations_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    """Resends or revokes the chosen invitations that are still open (each one audited), in
    the same few queries for one or a whole page."""
    cohort = access.get_managed_cohort_for(request.user, slug)
    action = request.POST.get("action")
    chosen = manage_lists.chosen_invitations(cohort, _ids(request))
    done = 0
    if action == "resend":
        done = services.resend_invitations(invitations=chosen, actor=request.user, request=request)
    elif action == "revoke":
        done = services.revoke_invitations(invitations=chosen, actor=request.user, request=request)
    verb = {"resend": "sent again", "revoke": "withdrawn"}.get(action or "", "changed")
    messages.success(request, f"{done} invitation{'s' if done != 1 else ''} {verb}.")
    return _back(request, "network:invitations_manage", slug)
