"""Cohort pages for members and the management pages for their managers."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from network import access, audit, rosters, services
from network.forms import AddMemberForm, CohortForm, ImportForm, InviteForm, RoleForm
from network.models import CohortMembership, Invitation, Program, Role, RosterImport

MANAGE_PREVIEW = 20


@login_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    can_create = access.can_create_cohorts(request.user)
    return render(
        request,
        "network/cohort_list.html",
        {"cohorts": access.visible_cohorts(request.user), "can_create": can_create},
    )


@login_required
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_cohort_for(request.user, slug)
    return render(
        request,
        "network/cohort_detail.html",
        {
            "cohort": cohort,
            "memberships": rosters.visible_roster(request.user, cohort),
            "manager_role": Role.MANAGER,
            "can_manage": access.can_manage(request.user, cohort),
        },
    )


@login_required
def cohort_create(request: HttpRequest) -> HttpResponse:
    access.check_can_create_cohorts(request.user)
    member = access.require_member(request.user)
    form = CohortForm(request.POST or None, programs=access.programs_for_new_cohorts(request.user))
    if request.method == "POST" and form.is_valid():
        cohort = services.create_cohort(created_by=member, request=request, **form.cleaned_data)
        messages.success(request, f"{cohort.name} has been created. Invite its members next.")
        return redirect("network:cohort_manage", slug=cohort.slug)
    return render(request, "network/cohort_form.html", {"form": form, "cohort": None})


@login_required
def cohort_edit(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    # A cohort stays in its program unless the editor may start cohorts in another one.
    programs = Program.objects.filter(pk=cohort.program_id) | access.programs_for_new_cohorts(
        request.user
    )
    form = CohortForm(request.POST or None, instance=cohort, programs=programs.distinct())
    if request.method == "POST" and form.is_valid():
        services.update_cohort(
            cohort=cohort, fields=form.cleaned_data, actor=request.user, request=request
        )
        messages.success(request, "The cohort has been saved.")
        return redirect("network:cohort_manage", slug=cohort.slug)
    return render(request, "network/cohort_form.html", {"form": form, "cohort": cohort})


@login_required
def cohort_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Roster with roles and actions, the add-member form and the invitations' status."""
    cohort = access.get_managed_cohort_for(request.user, slug)
    add_form = AddMemberForm(request.POST or None)
    if request.method == "POST" and add_form.is_valid():
        email = add_form.cleaned_data["email"]
        services.invite_people(
            cohort=cohort,
            invitees=[services.Invitee(email=email)],
            invited_by=access.member_for(request.user),
            role=add_form.cleaned_data["role"],
            request=request,
        )
        # The same words whatever the address is: the form must not tell whether it belongs
        # to a member (of this cohort or any other).
        messages.success(
            request,
            f"An invitation is on its way to {email}, unless they are already in the cohort or "
            "hold an open invitation. They join when they accept it.",
        )
        return redirect("network:cohort_manage", slug=slug)
    memberships = (
        cohort.memberships.filter(member__user__is_active=True)
        .select_related("member__agency")
        .order_by("-role", "member__name")
    )
    return render(
        request,
        "network/cohort_manage.html",
        {
            "cohort": cohort,
            # The first few only: the full lists are paged (network.views.manage).
            "memberships": memberships[:MANAGE_PREVIEW],
            "add_form": add_form,
            "roles": Role,
            "invitations": cohort.invitations.select_related("invited_by")[:MANAGE_PREVIEW],
            "imports": cohort.imports.all()[:5],
        },
    )


def _membership(request: HttpRequest, slug: str, pk: int) -> CohortMembership:
    cohort = access.get_managed_cohort_for(request.user, slug)
    return get_object_or_404(cohort.memberships.select_related("cohort", "member"), pk=pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, pk)
    services.remove_member(membership=membership, actor=request.user, request=request)
    messages.success(request, f"{membership.member.name} has been removed from the cohort.")
    return redirect("network:cohort_manage", slug=slug)


@login_required
@require_POST
def membership_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.set_role(
            membership=membership,
            role=form.cleaned_data["role"],
            actor=request.user,
            request=request,
        )
        messages.success(request, f"{membership.member.name} is now a {membership.role}.")
    return redirect("network:cohort_manage", slug=slug)


@login_required
def cohort_invite(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    member = access.member_for(request.user)
    invite_form = InviteForm(request.POST if "emails" in request.POST else None)
    import_form = ImportForm(
        request.POST if "file" in request.FILES else None, request.FILES or None
    )
    if invite_form.is_bound and invite_form.is_valid():
        created, skipped = services.invite_people(
            cohort=cohort,
            invitees=[services.Invitee(email=e) for e in invite_form.cleaned_data["emails"]],
            invited_by=member,
            role=invite_form.cleaned_data["role"],
            request=request,
        )
        messages.success(request, f"{len(created)} invitation(s) sent.")
        for reason in skipped:
            messages.info(request, f"Skipped: {reason}.")
        return redirect("network:cohort_manage", slug=slug)
    if import_form.is_bound and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            roster_import = services.start_roster_import(
                cohort=cohort,
                created_by=access.require_member(request.user),
                filename=upload.name,
                data=upload.read(),
                request=request,
            )
        except ValidationError as problem:
            import_form.add_error("file", problem)
        else:
            return redirect("network:import", slug=slug, pk=roster_import.pk)
    return render(
        request,
        "network/cohort_invite.html",
        {"cohort": cohort, "invite_form": invite_form, "import_form": import_form},
    )


def _import(request: HttpRequest, slug: str, pk: int) -> RosterImport:
    cohort = access.get_managed_cohort_for(request.user, slug)
    return get_object_or_404(cohort.imports.select_related("cohort"), pk=pk)


@login_required
def import_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roster_import = _import(request, slug, pk)
    return render(request, "network/import_status.html", {"import": roster_import})


@login_required
def import_progress(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """Polled by static/js/network-import.js to move the progress bar."""
    roster_import = _import(request, slug, pk)
    return JsonResponse(
        {
            "status": roster_import.shown_status,
            "percent": roster_import.percent,
            "processed": roster_import.processed_rows,
            "total": roster_import.total_rows,
            "done": roster_import.shown_status in ("done", "failed"),
        }
    )


@login_required
@require_POST
def import_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    roster_import = _import(request, slug, pk)
    if services.retry_roster_import(
        roster_import=roster_import, actor=request.user, request=request
    ):
        messages.success(request, "The import starts again where it stopped.")
    return redirect("network:import", slug=slug, pk=pk)


def _invitation(request: HttpRequest, slug: str, pk: int) -> Invitation:
    cohort = access.get_managed_cohort_for(request.user, slug)
    return get_object_or_404(cohort.invitations.select_related("cohort"), pk=pk)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _invitation(request, slug, pk)
    services.resend_invitation(invitation=invitation, actor=request.user, request=request)
    messages.success(request, f"The invitation to {invitation.email} has been sent again.")
    return redirect("network:cohort_manage", slug=slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _invitation(request, slug, pk)
    services.revoke_invitation(invitation=invitation, actor=request.user, request=request)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    return redirect("network:cohort_manage", slug=slug)


@login_required
def roster_export(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = access.get_managed_cohort_for(request.user, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{cohort.slug}-roster.csv"'
    writer = csv.writer(response)
    rows = rosters.export_rows(request.user, cohort)
    for row in rows:
        writer.writerow(row)
    audit.record("roster_exported", request=request, target=cohort, rows=len(rows) - 1)
    return response
