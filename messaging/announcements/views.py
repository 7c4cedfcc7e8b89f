"""Announcement pages: authenticate, check access, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from messaging.announcements import access, services
from messaging.announcements.forms import AnnouncementForm
from network.access import member_for


@login_required
def announcement_list(request: HttpRequest) -> HttpResponse:
    """The announcements the user may manage: sent, scheduled and withdrawn."""
    member = access.check_can_announce(request.user)
    rows = access.managed_announcements(request.user)[:100]
    context = {"announcements": rows, "zone_name": member.time_zone}
    return render(request, "announcements/list.html", context)


@login_required
def announcement_new(request: HttpRequest) -> HttpResponse:
    author = access.check_can_announce(request.user)
    cohort = request.GET.get("cohort", "").replace("\x00", "")  # PostgreSQL refuses NUL
    form = AnnouncementForm(
        request.POST or None, user=request.user, zone_name=author.time_zone, initial={"to": ""}
    )
    if cohort and not form.is_bound:
        form.initial["to"] = _cohort_choice(request, cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        announcement = services.create_announcement(
            author=author,
            title=data["title"],
            body=data["body"],
            send_at=data["send_at"],
            request=request,
            **form.audience(),
        )
        messages.success(
            request,
            "The announcement is scheduled."
            if announcement.is_scheduled
            else f"The announcement has been sent to {announcement.recipient_count} people.",
        )
        return redirect("announcements:detail", pk=announcement.pk)
    return render(request, "announcements/form.html", {"form": form, "announcement": None})


def _cohort_choice(request: HttpRequest, slug: str) -> str:
    cohort = access.announceable_cohorts(request.user).filter(slug=slug).first()
    return f"cohort:{cohort.pk}" if cohort else ""


@login_required
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = access.get_announcement_for(request.user, pk)
    member = member_for(request.user)
    context = {
        "announcement": announcement,
        "can_manage": access.can_manage(request.user, announcement),
        "zone_name": member.time_zone if member else "UTC",
        "dismissed": member is not None and announcement.dismissals.filter(member=member).exists(),
    }
    return render(request, "announcements/detail.html", context)


@login_required
def announcement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = access.get_managed_announcement_for(request.user, pk)
    editor = access.check_can_announce(request.user)
    initial = {"title": announcement.title, "body": announcement.body}
    form = AnnouncementForm(
        request.POST or None,
        user=request.user,
        zone_name=editor.time_zone,
        editing=announcement,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        services.edit_announcement(
            announcement=announcement,
            editor=editor,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            send_at=form.cleaned_data.get("send_at"),  # none once it has gone out
            request=request,
        )
        messages.success(request, "The announcement has been saved.")
        return redirect("announcements:detail", pk=announcement.pk)
    return render(request, "announcements/form.html", {"form": form, "announcement": announcement})


@login_required
@require_POST
def announcement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = access.get_managed_announcement_for(request.user, pk)
    services.withdraw_announcement(
        announcement=announcement, actor=access.check_can_announce(request.user), request=request
    )
    messages.success(request, "The announcement has been withdrawn.")
    return redirect("announcements:detail", pk=announcement.pk)


@login_required
@require_POST
def announcement_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    announcement = access.get_announcement_for(request.user, pk)
    member = member_for(request.user)
    if member is not None:
        services.dismiss_announcement(announcement=announcement, member=member)
    messages.success(request, "The announcement has been dismissed.")
    target = request.POST.get("next", "")
    # Only a path: redirect() would take any other text for a view's name (NoReverseMatch).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("network:home")
