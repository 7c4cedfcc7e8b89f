"""Reads for discussion pages: each page's rows in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

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
from network.access import AnyUser, visible_members
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


def _per_board(rows: QuerySet, total) -> Subquery:
    """One aggregate of ``rows`` (filtered on OuterRef("pk") as the board) per board."""
    return Subquery(rows.order_by().values("board").annotate(total=total).values("total")[:1])


def boards_for(user, member: Member | None) -> QuerySet[Board]:
    """Visible boards with thread counts, last activity and the member's unread posts.

    Each figure is its own subquery per board, never a join of the board's threads with
    their read state: joined, the unread sum ran once per thread row (four seconds for a
    board of 4,000 threads). Unread posts are the board's posts less those the member read,
    counting a thread read at most to its end."""
    threads = Thread.objects.filter(board=OuterRef("pk"))
    read: Expression
    if member is None:
        read = Value(0)
    else:
        reads = ThreadRead.objects.filter(member=member, thread__board=OuterRef("pk"))
        read = Coalesce(
            Subquery(
                reads.order_by()
                .values("thread__board")
                .annotate(total=Sum(Least(Greatest("last_read", 0), "thread__post_count")))
                .values("total")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )
    return (
        Board.objects.visible_to(user)
        .select_related("cohort")
        .annotate(
            thread_count=Coalesce(_per_board(threads, Count("pk")), Value(0)),
            last_activity=_per_board(threads, Max("last_post_at")),
            unread=Greatest(
                Coalesce(_per_board(threads, Sum("post_count")), Value(0)) - read, Value(0)
            ),
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


# What a post on the thread page shows: not its markdown source, nor the search columns of it
# and its author (a page of 50 posts read ~200 kB it never used).
POST_COLUMNS = (
    "thread_id", "number", "author_id", "body_html", "quote_of_id", "created_at", "edited_at",
    "deleted_at", "hidden_at", "author__name", "author__headline", "author__avatar",
    "author__agency__acronym", "quote_of__number",
)  # fmt: skip


def thread_posts(thread: Thread, *, after: int, upto: int, reader: AnyUser) -> list[Post]:
    """Posts numbered after < n <= upto with their authors' names, headlines, pictures and
    agencies, the numbers of the posts they quote, and ``author_seen``: whether the reader may
    open the author's profile (network.access.visible_members), in the same query (asked
    apart it was one more query for the same time: the rule's planning and building dominate,
    docs/benchmarks.md)."""
    seen = visible_members(reader).filter(pk=OuterRef("author_id"))
    return list(
        Post.objects.filter(thread=thread, number__gt=after, number__lte=upto)
        .select_related("author__agency", "quote_of")
        .only(*POST_COLUMNS)
        # Post declares author_seen for its readers; django-stubs takes this for a second one.
        .annotate(author_seen=Exists(seen))  # type: ignore[no-redef]
        .order_by("number")
    )


@dataclass(frozen=True, slots=True)
class ReactionGroup:
    """One kind of reaction on a post: how many, who (names joined) and whether the reader
    is one of them. Attributes rather than a dict: a Jinja2 template reads ``group.kind`` as
    an attribute first, and on a dict each of a page's ~1,600 such reads failed before it
    looked the key up."""

    kind: str
    emoji: str
    name: str
    count: int
    names: str
    mine: bool


# Each kind as (kind, emoji, name), and with nobody's reaction: shared by every post that has
# none of that kind (most of them), since a group is never changed once made.
KINDS = [(kind, *label.split(" ", 1)) for kind, label in ReactionKind.choices]
NO_REACTIONS = tuple(ReactionGroup(kind, emoji, name, 0, "", False) for kind, emoji, name in KINDS)


def annotate_reactions(posts: list[Post], member: Member | None) -> None:
    """Gives each post ``reaction_groups``: every kind with count, who reacted and whether
    the member did. One query of (post, kind, member, name) rows, not Reaction and Member
    objects: a page can carry hundreds of reactions."""
    rows = (
        Reaction.objects.filter(post__in=[post.pk for post in posts])
        .order_by("created_at", "pk")
        .values_list("post_id", "kind", "member_id", "member__name")
    )
    by_post: dict[int, dict[str, list[tuple[int, str]]]] = defaultdict(lambda: defaultdict(list))
    for post_id, kind, member_id, name in rows:
        by_post[post_id][kind].append((member_id, name))
    me = member.pk if member is not None else None
    for post in posts:
        reactions = by_post.get(post.pk)
        if reactions is None:
            post.reaction_groups = NO_REACTIONS
            continue
        post.reaction_groups = [
            ReactionGroup(
                kind,
                emoji,
                name,
                len(who),
                ", ".join(n for _, n in who),
                any(pk == me for pk, _ in who),
            )
            if (who := reactions.get(kind))
            else empty
            for (kind, emoji, name), empty in zip(KINDS, NO_REACTIONS, strict=True)
        ]


def following_level(member: Member | None, thread: Thread) -> str | None:
    level = subscription_level(member, thread=thread)
    return level if level in (Level.FOLLOW, Level.MUTE) else None
