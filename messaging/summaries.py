"""What messaging adds to the console's summary tables (network.summaries): posts and chat
messages per cohort and week, active days, and ties from replies and direct messages.

Counts only: no text is read. An off-the-record post adds to its cohort's counts and nothing
else (no active day, no tie), so nothing named comes from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from django.db.models import BooleanField, Case, Value, When

from messaging.discussions.models import Post, off_the_record_q
from messaging.models import Message, RoomKind
from network import summaries

BATCH = 20_000


def summarise_posts(*, batch: int = BATCH) -> int:
    """Reads posts past the cursor; returns how many."""
    off = Case(
        When(off_the_record_q(), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    with summaries.advancing("posts") as cursor:
        rows = list(
            Post.objects.filter(pk__gt=cursor.position)
            .annotate(off=off)
            .order_by("pk")
            .values_list(
                "pk",
                "created_at",
                "author_id",
                "thread__board__cohort_id",
                "thread__author_id",
                "quote_of__author_id",
                "off",
            )[:batch]
        )
        if not rows:
            return 0
        weeks: dict[tuple[int, date], Counter] = defaultdict(Counter)
        days, ties = [], []
        for _, at, author, cohort, thread_author, quoted, off_record in rows:
            if cohort is not None:
                counts = weeks[(cohort, summaries.week_of(at))]
                counts["posts"] += 1
                counts["off_record_posts"] += off_record
            if off_record or author is None:
                continue
            days.append((author, summaries.day_of(at)))
            ties += [(author, thread_author, at), (author, quoted, at)]
        summaries.add_to_weeks(weeks)
        summaries.record_days(days)
        summaries.record_ties(ties)
        summaries.move(cursor, position=rows[-1][0])
    return len(rows)


def summarise_messages(*, batch: int = BATCH) -> int:
    """Reads chat messages past the cursor; returns how many."""
    with summaries.advancing("messages") as cursor:
        rows = list(
            Message.objects.filter(pk__gt=cursor.position)
            .order_by("pk")
            .values_list(
                "pk", "created_at", "sender_id", "room__kind", "room__cohort_id", "room__direct_key"
            )[:batch]
        )
        if not rows:
            return 0
        weeks: dict[tuple[int, date], Counter] = defaultdict(Counter)
        days, ties = [], []
        for _, at, sender, kind, cohort, direct_key in rows:
            days.append((sender, summaries.day_of(at)))
            if kind == RoomKind.COHORT:
                weeks[(cohort, summaries.week_of(at))]["messages"] += 1
            elif kind == RoomKind.DIRECT and direct_key:
                low, high = (int(part) for part in direct_key.split(":"))
                ties.append((low, high, at))
        summaries.add_to_weeks(weeks)
        summaries.record_days(days)
        summaries.record_ties(ties)
        summaries.move(cursor, position=rows[-1][0])
    return len(rows)


def summarise() -> int:
    """Everything new, batch after batch, until caught up."""
    total = 0
    for step in (summarise_posts, summarise_messages):
        while read := step():
            total += read
    return total
