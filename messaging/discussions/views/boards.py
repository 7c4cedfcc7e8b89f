from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from messaging.discussions import queries, services
from messaging.discussions.access import (
    board_audience,
    can_moderate,
    check_can_post,
    get_board_for,
    has_moderation_queue,
    muted_until,
    writer_for,
)
from messaging.discussions.forms import FollowForm, ThreadForm
from messaging.discussions.notifications import unread_count
from network.access import member_for, visible_members


@login_required
def boards(request: HttpRequest) -> HttpResponse:
    member = member_for(request.user)
    all_boards = list(queries.boards_for(request.user, member))
    if member is not None:
        unread_count(member)  # warms the bell's cache
    return render(
        request,
        "discussions/boards.html",
        {
            "network_boards": [b for b in all_boards if b.cohort_id is None],
            "cohort_boards": [b for b in all_boards if b.cohort_id is not None],
            "has_moderation_queue": has_moderation_queue(request.user),
        },
    )


@login_required
def board(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = get_board_for(request.user, slug)
    member = member_for(request.user)
    page = Paginator(queries.board_threads(the_board, member), queries.THREADS_PER_PAGE)
    return render(
        request,
        "discussions/board.html",
        {
            "board": the_board,
            "page": page.get_page(request.GET.get("page")),
            "level": queries.subscription_level(member, board=the_board),
            "moderator": can_moderate(request.user, the_board),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_thread(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = get_board_for(request.user, slug)
    author = check_can_post(request.user, the_board)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = services.start_thread(board=the_board, author=author, **form.cleaned_data)
        return redirect("discussions:thread", pk=thread.pk)
    return render(
        request,
        "discussions/new_thread.html",
        {"board": the_board, "form": form, "muted_until": muted_until(author, the_board)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def board_follow(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = get_board_for(request.user, slug)
    member = writer_for(request.user)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return redirect("discussions:board", slug=slug)
    level = form.cleaned_data["level"]
    services.set_subscription(
        member=member, board=the_board, level=None if level == "default" else level
    )
    return redirect("discussions:board", slug=slug)


@login_required
def board_members(request: HttpRequest, slug: str) -> JsonResponse:
    """Mention autocomplete: members who can see this board and whom the asker may see."""
    the_board = get_board_for(request.user, slug)
    query = request.GET.get("q", "").strip()
    members = board_audience(the_board).filter(pk__in=visible_members(request.user).values("pk"))
    if query:
        members = members.filter(name__icontains=query)
    found = members.order_by("name").values("pk", "name")[:8]
    return JsonResponse({"members": [{"id": m["pk"], "name": m["name"]} for m in found]})
