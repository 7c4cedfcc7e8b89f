"""Writes to the console's summary tables (network.models: MemberDay, CohortWeek, EventTally,
Tie), for the summary tasks of every app.

Each task reads its source past a cursor and adds what it found. The cursor's row is locked for
the whole batch, in the transaction that writes the counts, so two beats ticking at once never
count a row twice. Days and ties are sets (inserting one twice changes nothing); week counts are
added to in the database (INSERT ... ON CONFLICT ... DO UPDATE), never read and written back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from network.models import (
    Cohort,
    CohortWeek,
    ConsoleSnapshot,
    EventTally,
    Member,
    MemberDay,
    Program,
    SummaryCursor,
    Tie,
)

WEEK_FIELDS = ("posts", "off_record_posts", "messages")


def day_of(moment: datetime) -> date:
    """Days and weeks are UTC days: one rule for every task and every reader."""
    return moment.astimezone(UTC).date()


def week_of(moment: datetime | date) -> date:
    """The Monday of the moment's (UTC) week."""
    day = day_of(moment) if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


@contextmanager
def advancing(name: str) -> Iterator[SummaryCursor]:
    """The named cursor, locked until the batch that moves it commits."""
    with transaction.atomic():
        SummaryCursor.objects.get_or_create(name=name)
        yield SummaryCursor.objects.select_for_update().get(name=name)


def move(cursor: SummaryCursor, *, position: int | None = None, moment=None) -> None:
    if position is not None:
        cursor.position = position
    if moment is not None:
        cursor.moment = moment
    cursor.save(update_fields=["position", "moment"])


def record_days(pairs: Iterable[tuple[int, date]]) -> None:
    """Marks (member id, day) pairs as active days."""
    rows = [MemberDay(member_id=member, day=day) for member, day in set(pairs)]
    MemberDay.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)


def add_to_weeks(counts: dict[tuple[int, date], Counter]) -> None:
    """Adds counts (posts, off_record_posts, messages) to each (cohort id, week)."""
    if not counts:
        return
    table = CohortWeek._meta.db_table
    columns = ", ".join(WEEK_FIELDS)
    updates = ", ".join(f"{f} = {table}.{f} + EXCLUDED.{f}" for f in WEEK_FIELDS)
    # Only the table's and our own field names are spliced in; the values are parameters.
    sql = (
        f"INSERT INTO {table} (cohort_id, week, {columns}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT (cohort_id, week) DO UPDATE SET {updates}"
    )
    rows: list[tuple[int | date, ...]] = [
        (c, w, *(n[f] for f in WEEK_FIELDS)) for (c, w), n in counts.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def record_ties(pairs: Iterable[tuple[int, int, datetime]]) -> None:
    """Ties between two different members; the earliest moment seen in the batch is kept."""
    first: dict[tuple[int, int], datetime] = {}
    for a, b, moment in pairs:
        if a is None or b is None or a == b:
            continue
        key = (min(a, b), max(a, b))
        first[key] = min(moment, first.get(key, moment))
    rows = [Tie(low_id=low, high_id=high, first_at=at) for (low, high), at in first.items()]
    Tie.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)


def put_tallies(rows: list[EventTally]) -> None:
    """Replaces the tallies of these events."""
    EventTally.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["event_id"],
        update_fields=[
            "cohort",
            "title",
            "starts_at",
            "cancelled",
            "going",
            "waitlisted",
            "declined",
            "attended",
        ],
        batch_size=2000,
    )


def summarise_sign_ins(*, batch: int = 20_000) -> int:
    """Sign-ins (the audit log's logins) as active days. Returns the entries read."""
    from network.models import AuditEntry

    with advancing("sign_ins") as cursor:
        rows = list(
            AuditEntry.objects.filter(pk__gt=cursor.position, action="login")
            .order_by("pk")
            .values_list("pk", "actor_id", "at")[:batch]
        )
        if not rows:
            return 0
        members = dict(
            Member.objects.filter(user_id__in={r[1] for r in rows}).values_list("user_id", "pk")
        )
        record_days((members[user], day_of(at)) for _, user, at in rows if user in members)
        move(cursor, position=rows[-1][0])
    return len(rows)


def refresh_snapshots() -> int:
    """Recomputes the console snapshot of every cohort and program; returns how many."""
    from network import console

    count = 0
    for cohort_id in Cohort.objects.values_list("pk", flat=True):
        ConsoleSnapshot.objects.update_or_create(
            cohort_id=cohort_id,
            defaults={"figures": console.snapshot([cohort_id]), "computed_at": timezone.now()},
        )
        count += 1
    for program in Program.objects.all():
        ConsoleSnapshot.objects.update_or_create(
            program=program,
            defaults={
                "figures": console.snapshot(program.cohorts.values("pk")),
                "computed_at": timezone.now(),
            },
        )
        count += 1
    return count
