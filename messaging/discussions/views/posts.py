from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from messaging.discussions import queries, services
from messaging.discussions.access import (
    check_can_edit,
    check_can_moderate,
    check_can_report,
    get_post_for,
    writer_for,
)
from messaging.discussions.forms import EditForm, ReactionForm, ReportForm


def _thread_url(post) -> str:
    path = reverse("discussions:thread", args=[post.thread_id])
    return f"{path}?page={queries.page_of(post.number)}#post-{post.number}"


@login_required
def post(request: HttpRequest, pk: int) -> HttpResponse:
    """A post's permanent link (e-mails and notifications): the thread page it is on."""
    return redirect(_thread_url(get_post_for(request.user, pk)))


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    the_post = get_post_for(request.user, pk)
    check_can_edit(request.user, the_post)
    form = EditForm(request.POST or None, initial={"body": the_post.body})
    if request.method == "POST" and form.is_valid():
        services.edit_post(post=the_post, body=form.cleaned_data["body"])
        return redirect(_thread_url(the_post))
    return render(
        request,
        "discussions/post_edit.html",
        {"post": the_post, "thread": the_post.thread, "board": the_post.thread.board, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    the_post = get_post_for(request.user, pk)
    check_can_edit(request.user, the_post)
    services.delete_post(post=the_post)
    return redirect(_thread_url(the_post))


@login_required
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Earlier versions of an edited post, for the board's moderators only."""
    the_post = get_post_for(request.user, pk)
    check_can_moderate(request.user, the_post.thread.board)
    return render(
        request,
        "discussions/post_history.html",
        {
            "post": the_post,
            "thread": the_post.thread,
            "board": the_post.thread.board,
            "revisions": the_post.revisions.all(),
        },
    )


@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    the_post = get_post_for(request.user, pk)
    member = writer_for(request.user)
    form = ReactionForm(request.POST)
    if form.is_valid() and the_post.deleted_at is None:
        services.toggle_reaction(post=the_post, member=member, kind=form.cleaned_data["kind"])
    return redirect(_thread_url(the_post))


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    the_post = get_post_for(request.user, pk)
    member = check_can_report(request.user, the_post)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_post(post=the_post, reporter=member, reason=form.cleaned_data["reason"])
        messages.success(request, "Thank you. A moderator will look at this post.")
        return redirect(_thread_url(the_post))
    return render(
        request,
        "discussions/report.html",
        {"post": the_post, "thread": the_post.thread, "board": the_post.thread.board, "form": form},
        status=400 if form.errors else 200,
    )
