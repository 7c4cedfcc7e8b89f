from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from messaging.discussions import services
from messaging.discussions.access import (
    board_audience,
    check_can_moderate,
    get_board_for,
    get_post_for,
    get_thread_for,
    has_moderation_queue,
    moderated_boards,
    writer_for,
)
from messaging.discussions.forms import HideForm, MuteForm, ResolveForm, ThreadModerationForm
from messaging.discussions.models import Report


@login_required
@require_POST
def thread_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_for(request.user, pk)
    check_can_moderate(request.user, thread.board)
    form = ThreadModerationForm(request.POST, boards=moderated_boards(request.user))
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Nothing was changed. {problems}")
        return redirect("discussions:thread", pk=pk)
    if form.cleaned_data["action"] == "records":
        services.set_thread_records_mode(
            thread=thread,
            records_mode=form.cleaned_data["records_mode"],
            actor=request.user,
            request=request,
        )
        messages.success(request, "The thread's records mode has been changed.")
        return redirect("discussions:thread", pk=pk)
    services.moderate_thread(
        thread=thread,
        action=form.cleaned_data["action"],
        to_board=form.cleaned_data.get("board"),
        actor=request.user,
        request=request,
    )
    messages.success(request, "Done.")
    return redirect("discussions:thread", pk=pk)


@login_required
@require_POST
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_post_for(request.user, pk)
    check_can_moderate(request.user, post.thread.board)
    form = HideForm(request.POST)
    form.is_valid()
    services.hide_post(
        post=post,
        hidden=form.cleaned_data.get("hidden", False),
        moderator=writer_for(request.user),
        request=request,
    )
    return redirect("discussions:post", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def board_mute(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board_for(request.user, slug)
    check_can_moderate(request.user, board)
    form = MuteForm(request.POST or None, members=board_audience(board).order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.mute_member(
            board=board,
            member=data["member"],
            hours=data["hours"],
            reason=data["reason"],
            moderator=writer_for(request.user),
            request=request,
        )
        messages.success(request, f"{data['member'].name} is muted on {board.name}.")
        return redirect("discussions:board", slug=slug)
    return render(
        request,
        "discussions/mute.html",
        {"board": board, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open reports on the boards the user moderates."""
    if not has_moderation_queue(request.user):
        raise Http404("No moderation queue.")
    reports = (
        Report.objects.filter(
            resolved_at__isnull=True, post__thread__board__in=moderated_boards(request.user)
        )
        .select_related("post__thread__board", "post__author", "reporter")
        .order_by("created_at")
    )
    return render(request, "discussions/queue.html", {"reports": reports, "form": ResolveForm()})


@login_required
@require_POST
def report_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = Report.objects.select_related("post__thread__board").get(
            pk=pk, post__thread__board__in=moderated_boards(request.user)
        )
    except Report.DoesNotExist:
        raise Http404("No such report.") from None
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.resolve_report(
            report=report,
            action=form.cleaned_data["action"],
            moderator=writer_for(request.user),
            request=request,
        )
        messages.success(request, "Report resolved.")
    return redirect("discussions:queue")
