"""Reads for discussion pages: each page's rows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from messaging.discussions.models import (
    Board,
    Level,
    Post,
    Reaction,
    ReactionKind,
    Subscription,
    Thread,
    ThreadRead,
)
from network.models import Member

POSTS_PER_PAGE = 50
THREADS_PER_PAGE = 25


def _last_read(member: Member | None):
    if member is None:
        return Value(0)
    return Coalesce(
        Subquery(
            ThreadRead.objects.filter(thread=OuterRef("pk"), member=member).values("last_read")[:1]
        ),
        Value(-1),
    )


def threads_with_read_state(threads: QuerySet[Thread], member: Member | None) -> QuerySet:
    """Threads annotated with ``last_read`` (-1: never opened) and ``unread`` posts."""
    return threads.annotate(last_read=_last_read(member)).annotate(
        unread=Greatest(F("post_count") - Greatest(F("last_read"), Value(0)), Value(0))
    )


def boards_for(user, member: Member | None) -> QuerySet[Board]:
    """Visible boards with thread counts, last activity and the member's unread posts."""
    unread = (
        threads_with_read_state(Thread.objects.filter(board=OuterRef("pk")), member)
        .order_by()
        .values("board")
        .annotate(total=Sum("unread"))
        .values("total")
    )
    return (
        Board.objects.visible_to(user)
        .select_related("cohort")
        .annotate(
            thread_count=Count("threads"),
            last_activity=Max("threads__last_post_at"),
            unread=Coalesce(Subquery(unread, output_field=IntegerField()), Value(0)),
        )
    )


def board_threads(board: Board, member: Member | None) -> QuerySet[Thread]:
    return threads_with_read_state(
        board.threads.select_related("author", "last_author"), member
    ).order_by("-pinned", "-last_post_at", "-pk")


def subscription_level(member: Member | None, **target) -> str | None:
    if member is None:
        return None
    return (
        Subscription.objects.filter(member=member, **target).values_list("level", flat=True).first()
    )


def last_read(member: Member | None, thread: Thread) -> int:
    if member is None:
        return thread.post_count
    found = ThreadRead.objects.filter(member=member, thread=thread).values_list(
        "last_read", flat=True
    )
    return next(iter(found), 0)


def page_count(thread: Thread) -> int:
    return max(1, -(-thread.post_count // POSTS_PER_PAGE))


def page_of(number: int) -> int:
    return max(1, -(-number // POSTS_PER_PAGE))


def thread_posts(thread: Thread, *, after: int, upto: int) -> list[Post]:
    """Posts numbered after < n <= upto with authors, quoted posts and reactions (3 queries)."""
    posts = list(
        Post.objects.filter(thread=thread, number__gt=after, number__lte=upto)
        .select_related("author__agency", "quote_of__author")
        .prefetch_related(Prefetch("reactions", queryset=Reaction.objects.select_related("member")))
        .order_by("number")
    )
    return posts


def annotate_reactions(posts: list[Post], member: Member | None) -> None:
    """Gives each post ``reaction_groups``: every kind with count, who reacted and whether
    the member did."""
    for post in posts:
        by_kind: dict[str, list[Member]] = defaultdict(list)
        for reaction in post.reactions.all():
            by_kind[reaction.kind].append(reaction.member)
        post.reaction_groups = [
            {
                "kind": kind,
                "label": label,
                "emoji": label.split(" ", 1)[0],
                "name": label.split(" ", 1)[1],
                "count": len(by_kind[kind]),
                "names": ", ".join(m.name for m in by_kind[kind]),
                "mine": member is not None and any(m.pk == member.pk for m in by_kind[kind]),
            }
            for kind, label in ReactionKind.choices
        ]


def following_level(member: Member | None, thread: Thread) -> str | None:
    level = subscription_level(member, thread=thread)
    return level if level in (Level.FOLLOW, Level.MUTE) else None
