"""Full-text search over the posts a member may see.

PostgreSQL: the stored ``search_vector`` (GIN-indexed) and ts_headline snippets. Elsewhere
(SQLite in the embedded default) a plain substring match with a snippet cut in Python.
Off-the-record posts never get a snippet, and their author is hidden from anyone outside the
board (administrators looking at a cohort they are not in); nor can outsiders filter
off-the-record posts by author, which would reveal who said what.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Case, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property

from messaging.discussions.models import Board, Post, off_the_record_q
from network.models import CohortMembership, Member

START, STOP = "\ue000", "\ue001"  # private-use marks: escaped text cannot contain a tag
SNIPPET_CHARS = 200
COUNT_CAP = 200  # ten pages of results
# What a result shows (hits, the search_hits tag): not the markdown, its HTML (often kept out of
# the row, migration 0007), the search vector, nor the author's profile.
SHOWN: tuple[str, ...] = (
    "number",
    "created_at",
    "search_text",
    "thread__title",
    "thread__records_mode",
)
SHOWN += ("thread__board__name", "thread__board__records_mode", "author__name")


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 matches: an exact count of 100,000 matches costs more than
    the page itself, and "more than 200 results" (ten pages) is all a reader needs before
    narrowing the search. A phrase is checked post by post, so counting 1,001 of them cost
    ~150 ms where 201 cost ~30 ms (docs/benchmarks.md)."""

    @cached_property
    def count(self) -> int:
        # Only the ids, in no order: the database may count through the GIN index, and the
        # snippets (ts_headline) are not computed for rows that are only counted.
        posts = self.object_list
        assert isinstance(posts, QuerySet)  # search pages a queryset of posts
        return posts.order_by().values("pk")[: COUNT_CAP + 1].count()

    def page(self, number):
        posts = self.object_list
        if not self.capped and isinstance(posts, QuerySet):
            # Few matches: find them all through the GIN index and sort them, rather than walk
            # the newest-first index past tens of thousands of posts that do not match (the
            # planner cannot tell a rare word from a common one). An order by an expression
            # rather than the column is what keeps it off that index.
            self.object_list = posts.order_by(Coalesce("created_at", "created_at").desc(), "-pk")
        return super().page(number)

    cap = COUNT_CAP

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


@dataclass
class Hit:
    post: Post
    # The snippet as (text, matched) parts; the template marks the matched ones (<mark>).
    snippet: list[tuple[str, bool]]
    author: Member | None


def boards_inside(user) -> set[int]:
    mine = CohortMembership.objects.filter(member__user=user).values("cohort")
    return set(
        Board.objects.filter(Q(cohort__isnull=True) | Q(cohort__in=mine)).values_list(
            "pk", flat=True
        )
    )


def _parts(text: str) -> list[tuple[str, bool]]:
    """A snippet with its matches between START and STOP as (text, matched) parts."""
    parts = []
    for n, piece in enumerate(re.split(f"[{START}{STOP}]", text)):
        if piece:
            parts.append((piece, n % 2 == 1))
    return parts


def _candidates(
    user, *, boards: list[Board] | None, board: Board | None, author: Member | None
) -> QuerySet[Post]:
    posts = Post.objects.visible_to(user, boards).filter(
        deleted_at__isnull=True, hidden_at__isnull=True
    )
    if board is not None:
        posts = posts.filter(thread__board=board)
    if author is not None:
        posts = posts.filter(author=author).filter(
            ~off_the_record_q() | Q(thread__board__in=boards_inside(user))
        )
    return posts.select_related("thread__board", "author").only(*SHOWN)


def _postgres(posts: QuerySet[Post], text: str) -> QuerySet[Post]:
    query = SearchQuery(text, search_type="websearch", config="english")
    headline = SearchHeadline(
        "search_text",
        query,
        config="english",
        start_sel=START,
        stop_sel=STOP,
        max_words=35,
        min_words=15,
    )
    # Newest first rather than by ts_rank: ranking reads every match's vector (2 s for a
    # common word over 200,000 posts), while newest-first walks the created_at index and stops
    # at a page; snippets are computed only for the rows shown.
    return (
        posts.defer("search_text")  # ts_headline reads it in the database
        .filter(search_vector=query)
        .annotate(
            snippet=Case(
                When(off_the_record_q(), then=Value("")),
                default=headline,
                output_field=TextField(),
            ),
        )
        .order_by("-created_at", "-pk")
    )


def _fallback(posts: QuerySet[Post], text: str) -> QuerySet[Post]:
    for word in text.split()[:8]:
        posts = posts.filter(search_text__icontains=word)
    return posts.order_by("-created_at")


def _cut_snippet(post: Post, text: str) -> str:
    body = post.search_text
    words = [w for w in text.split() if w]
    lower = body.lower()
    at = min((lower.find(w.lower()) for w in words if w.lower() in lower), default=0)
    start = max(at - SNIPPET_CHARS // 2, 0)
    cut = body[start : start + SNIPPET_CHARS]
    for word in words:
        cut = re.sub(f"({re.escape(word)})", f"{START}\\1{STOP}", cut, flags=re.IGNORECASE)
    return ("…" if start else "") + cut


def search_posts(
    user,
    text: str,
    *,
    visible_boards: list[Board] | None = None,
    board: Board | None = None,
    author: Member | None = None,
) -> QuerySet[Post]:
    """Posts matching ``text`` that the user may see, newest first. ``visible_boards`` are the
    user's ``Board.objects.visible_to``, when the caller has already read them."""
    posts = _candidates(user, boards=visible_boards, board=board, author=author)
    if connection.vendor == "postgresql":
        return _postgres(posts, text)
    return _fallback(posts, text)


def hits(user, posts: list[Post], text: str) -> list[Hit]:
    """Results as shown: snippet (never for off the record) and author (hidden outside)."""
    inside = boards_inside(user)
    found = []
    for post in posts:
        board = post.thread.board
        secret = post.thread.off_the_record
        if secret:
            snippet = ""
        elif hasattr(post, "snippet"):
            snippet = post.snippet
        else:
            snippet = _cut_snippet(post, text)
        found.append(
            Hit(
                post=post,
                snippet=_parts(snippet),
                author=None if secret and board.pk not in inside else post.author,
            )
        )
    return found
