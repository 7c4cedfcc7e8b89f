"""Writes to the console's summary tables (network.models: MemberDay, CohortWeek, EventTally,
Tie), for the summary tasks of every app.

Each task reads its source past a cursor and adds what it found. The cursor's row is locked for
the whole batch, in the transaction that writes the counts, so two beats ticking at once never
count a row twice. Days and ties are sets (inserting one twice changes nothing); week counts are
added to in the database (INSERT ... ON CONFLICT ... DO UPDATE), never read and written back.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from network.models import (
    Cohort,
    CohortMembership,
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


# However little seems to have changed, a snapshot this old is computed again: the net under
# what the cursors cannot see (a row committed after a later id was read, an agency renamed).
FULL_REFRESH = timedelta(hours=1)


def membership_digests() -> dict[int, str]:
    """Per cohort, a digest of its current members as a snapshot counts them: who they are and
    their name, agency, organisation and type. One read of the memberships (5,000 rows for a
    program of 5,000), however the rows were changed."""
    rows = (
        CohortMembership.objects.exclude(member__user__is_active=False)
        .order_by("cohort_id", "member_id")
        .values_list("cohort_id", "member_id", "member__name", "member__agency_id",
                     "member__organisation", "member__member_type")
    )  # fmt: skip
    digests: dict[int, hashlib._Hash] = {}
    for cohort_id, *member in rows:
        digests.setdefault(cohort_id, hashlib.sha256()).update(repr(member).encode())
    return {cohort_id: digest.hexdigest() for cohort_id, digest in digests.items()}


def _new_rows(cursor: SummaryCursor, rows: QuerySet, *member_fields: str) -> set[int]:
    """The members in rows added since the cursor (which moves to the last one)."""
    last = rows.aggregate(last=Max("pk"))["last"] or cursor.position
    new = rows.filter(pk__gt=cursor.position, pk__lte=last)
    members = {pk for name in member_fields for pk in new.values_list(name, flat=True).distinct()}
    move(cursor, position=last)
    return members


def _is_stale(snapshot: ConsoleSnapshot | None, digest: str, now: datetime) -> bool:
    return (
        snapshot is None
        or snapshot.membership_digest != digest
        or snapshot.computed_at < now - FULL_REFRESH
        or day_of(snapshot.computed_at) != day_of(now)  # this week and month have moved on
    )


def refresh_snapshots() -> int:
    """Recomputes the console snapshots that may have changed; returns how many.

    A cohort's is computed again when one of its members has a new active day or a new tie
    since the last run (read past id cursors), when its members changed (the digest), on a new
    day (the windows of this week and this month move) and when it is an hour old; a program's
    when one of its cohorts' was, or on the same clock. So a run costs what changed, not what
    exists: a busy five minutes touches a few cohorts of a hundred.
    """
    from network import console

    now = timezone.now()
    with advancing("snapshot_days") as days, advancing("snapshot_ties") as ties:
        active = _new_rows(days, MemberDay.objects.all(), "member_id")
        active |= _new_rows(ties, Tie.objects.all(), "low_id", "high_id")
        digests = membership_digests()
        due = _cohorts_due(active, digests, now)
        for cohort_id in due:
            figures = console.snapshot([cohort_id])
            _store(figures, digests.get(cohort_id, ""), now, cohort_id=cohort_id)
        return len(due) + _refresh_programs(set(due), digests, now)


def _cohorts_due(active: set[int], digests: dict[int, str], now: datetime) -> list[int]:
    """The cohorts of the members active or tied since the last run, and any stale ones."""
    touched = set(
        CohortMembership.objects.filter(member__in=active).values_list("cohort_id", flat=True)
    )
    stored = {s.cohort_id: s for s in ConsoleSnapshot.objects.filter(cohort__isnull=False)}
    return [
        pk
        for pk in Cohort.objects.order_by("pk").values_list("pk", flat=True)
        if pk in touched or _is_stale(stored.get(pk), digests.get(pk, ""), now)
    ]


def _refresh_programs(cohorts_due: set[int], digests: dict[int, str], now: datetime) -> int:
    """The programs one of whose cohorts was refreshed, or whose cohorts changed, or stale."""
    from network import console

    stored = {s.program_id: s for s in ConsoleSnapshot.objects.filter(program__isnull=False)}
    count = 0
    for program in Program.objects.prefetch_related("cohorts").order_by("pk"):
        cohort_ids = sorted(c.pk for c in program.cohorts.all())
        digest = hashlib.sha256(repr([digests.get(c, "") for c in cohort_ids]).encode()).hexdigest()
        if cohorts_due.isdisjoint(cohort_ids) and not _is_stale(
            stored.get(program.pk), digest, now
        ):
            continue
        _store(console.snapshot(cohort_ids), digest, now, program_id=program.pk)
        count += 1
    return count


def _store(
    figures: dict,
    digest: str,
    now: datetime,
    *,
    cohort_id: int | None = None,
    program_id: int | None = None,
) -> None:
    values = {"figures": figures, "computed_at": now, "membership_digest": digest}
    if cohort_id is not None:
        ConsoleSnapshot.objects.update_or_create(cohort_id=cohort_id, defaults=values)
    elif program_id is not None:
        ConsoleSnapshot.objects.update_or_create(program_id=program_id, defaults=values)
