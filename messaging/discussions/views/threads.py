from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from messaging.discussions import people, queries, services
from messaging.discussions.access import (
    can_moderate,
    check_can_post,
    get_thread_for,
    moderated_boards,
    muted_until,
    writer_for,
)
from messaging.discussions.forms import FollowForm, ReplyForm, ThreadModerationForm
from messaging.discussions.models import Post
from messaging.discussions.notifications import mark_thread_read
from messaging.discussions.rendering import quote
from network.access import member_for
from network.models import RecordsMode

UPDATE_LIMIT = 50


def _page_number(request: HttpRequest, thread, last_read: int) -> int:
    try:
        wanted = int(request.GET["page"])
    except (KeyError, ValueError):
        # Open at the first unread post (or the last page when everything has been read).
        wanted = queries.page_of(min(last_read + 1, thread.post_count))
    return min(max(wanted, 1), queries.page_count(thread))


def _reply_form(request: HttpRequest, thread) -> ReplyForm:
    quoted_id = request.GET.get("quote", "")
    initial = {}
    if quoted_id.isascii() and quoted_id.isdigit():  # int("³") fails though "³".isdigit()
        quoted = (
            Post.objects.filter(
                thread=thread, pk=int(quoted_id), deleted_at__isnull=True, hidden_at__isnull=True
            )
            .select_related("author")
            .first()
        )
        if quoted is not None:
            name = quoted.author.name if quoted.author else "A former member"
            initial = {"body": quote(quoted.body, name), "quote_of": quoted.pk}
    return ReplyForm(initial=initial)


@login_required
def thread(request: HttpRequest, pk: int, form: ReplyForm | None = None) -> HttpResponse:
    the_thread = get_thread_for(request.user, pk)
    board = the_thread.board
    member = member_for(request.user)
    moderator = can_moderate(request.user, board)
    last_read = queries.last_read(member, the_thread)
    page = _page_number(request, the_thread, last_read)
    upto = page * queries.POSTS_PER_PAGE
    posts = queries.thread_posts(
        the_thread, after=upto - queries.POSTS_PER_PAGE, upto=upto, reader=request.user
    )
    queries.annotate_reactions(posts, member)
    people.annotate_people(posts, request.user)
    last_shown = posts[-1].number if posts else 0
    if member is not None and last_shown:
        services.mark_read(member=member, thread=the_thread, number=last_shown)
        mark_thread_read(member=member, thread=the_thread)
    return render(
        request,
        "discussions/thread.html",
        {
            "board": board,
            "thread": the_thread,
            "posts": posts,
            "page": page,
            "pages": range(1, queries.page_count(the_thread) + 1),
            "page_count": queries.page_count(the_thread),
            "first_unread": last_read + 1 if 0 < last_read < the_thread.post_count else None,
            "last_shown": last_shown,
            "live": page == queries.page_count(the_thread),
            "me": member,
            "moderator": moderator,
            "level": queries.following_level(member, the_thread),
            "muted_until": muted_until(member, board) if member else None,
            "form": form or _reply_form(request, the_thread),
            "moderation_form": ThreadModerationForm(
                boards=moderated_boards(request.user).exclude(pk=board.pk)
            )
            if moderator
            else None,
            "records_modes": RecordsMode.choices,
        },
        status=400 if form is not None else 200,
    )


@login_required
def thread_updates(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX polling fragment: posts after ?after=N, then the poller that asks again."""
    the_thread = get_thread_for(request.user, pk)
    member = member_for(request.user)
    try:
        after = max(int(request.GET.get("after", "0")), 0)
    except ValueError:
        after = 0
    posts = queries.thread_posts(
        the_thread, after=after, upto=after + UPDATE_LIMIT, reader=request.user
    )
    queries.annotate_reactions(posts, member)
    people.annotate_people(posts, request.user)
    if member is not None and posts:
        services.mark_read(member=member, thread=the_thread, number=posts[-1].number)
    return render(
        request,
        "discussions/_updates.html",
        {
            "thread": the_thread,
            "board": the_thread.board,
            "posts": posts,
            "last_shown": posts[-1].number if posts else after,
            "me": member,
            "moderator": can_moderate(request.user, the_thread.board),
        },
    )


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    the_thread = get_thread_for(request.user, pk)
    author = check_can_post(request.user, the_thread.board, the_thread)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return thread(request, pk, form=form)
    quoted = None
    if form.cleaned_data["quote_of"]:
        quoted = Post.objects.filter(thread=the_thread, pk=form.cleaned_data["quote_of"]).first()
    post = services.post_reply(
        thread=the_thread, author=author, body=form.cleaned_data["body"], quote_of=quoted
    )
    return redirect(services.post_url(post))


@login_required
@require_POST
def thread_follow(request: HttpRequest, pk: int) -> HttpResponse:
    the_thread = get_thread_for(request.user, pk)
    member = writer_for(request.user)
    form = FollowForm(request.POST)
    if form.is_valid():
        level = form.cleaned_data["level"]
        services.set_subscription(
            member=member, thread=the_thread, level=None if level == "default" else level
        )
    return redirect(reverse("discussions:thread", args=[pk]))
