"""The thread page's posts and the search results, drawn by Jinja2 templates.

A page of 50 posts renders 200 reaction buttons and 100 dates; through Django's template engine
that was half the page's time (docs/benchmarks.md), so these fragments are Jinja2 templates
(`templates/jinja2/discussions/`), compiled once and autoescaped like Django's. Which actions a
post offers is decided by `access.post_actions`, not by the template.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.template import engines
from django.template.backends.utils import csrf_input
from markupsafe import Markup

from messaging.discussions.access import post_actions
from messaging.discussions.models import Board
from messaging.discussions.queries import boards_for
from network.access import member_for
from network.avatars import avatar_for
from network.timezones import timestamp

register = template.Library()


def _fragment(name: str, context, **values: Any) -> Markup:
    """A Jinja2 template's output, which it has already escaped (so it is safe to include)."""
    fragment = engines["jinja2"].get_template(name)
    return Markup(fragment.render(values, context.get("request")))  # noqa: S704


@register.simple_tag(takes_context=True)
def post_list(context, posts, first_unread: int | None = None) -> Markup:
    """The posts of a thread as list items, with the actions each offers to the viewer
    (``me``, ``moderator`` and ``thread`` from the page's context). Each post's actions, date
    and avatar are worked out here once, so the template only writes them."""
    me, thread = context.get("me"), context["thread"]
    moderator = bool(context.get("moderator"))
    for post in posts:
        post.actions = post_actions(me, moderator=moderator, thread=thread, post=post)
        post.time_iso, post.time_shown = timestamp(post.created_at)
        if post.author_id:
            post.avatar = avatar_for(post.author, picture=post.author_seen)
    # The CSRF field made once: the backend's own ``csrf_input`` is lazy and masks the token
    # anew each time it is written, which for a post's two or three forms was a tenth of the
    # thread page's time.
    csrf = csrf_input(context["request"])
    return _fragment(
        "discussions/posts.html", context, posts=posts, first_unread=first_unread, csrf=csrf
    )


@register.simple_tag(takes_context=True)
def search_hits(context, hits) -> Markup:
    """The page's results: thread, board, author (absent when hidden from this searcher), date
    and the highlighted snippet (never for off the record)."""
    q = context.get("q", "")
    for hit in hits:
        hit.author_query = ""
        if hit.author is not None:
            hit.author_query = urlencode({"q": q, "author": hit.author.pk})
        hit.time_iso, hit.time_shown = timestamp(hit.post.created_at, with_time=False)
    return _fragment("discussions/search_hits.html", context, hits=hits)


@register.simple_tag(takes_context=True)
def cohort_board(context, cohort) -> Board | None:
    """The cohort's board with the viewer's ``unread`` posts (as the boards page counts
    them), or None when they may not see it: for the cohort page. One query."""
    request = context["request"]
    boards = boards_for(request.user, member_for(request.user))
    return boards.filter(cohort_id=cohort.pk).first()
