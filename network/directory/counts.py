"""The facet counts: one statement per part of visible_members, in blocks of CHUNK member ids,
and the shared part's counts kept in the cache per block (see the package's docstring)."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q, QuerySet

from network.directory.filters import Criteria
from network.directory.matching import _sql, matching
from network.models import Cohort, CohortMembership, Member

log = logging.getLogger(__name__)

CHUNK = 1024  # member ids per block of shared counts
MEMBERS_LISTED = 5000  # members of the viewer's cohorts past which they are left to a subquery
COUNTS_TIMEOUT = 3600  # bounds how long a write outside the services can leave a count behind
Counts = Counter  # (kind, value) -> members


LAST = -1  # count_by_chunk(..., with_last=True) gives the highest member id as {LAST: {...}}


def count_by_chunk(
    members: QuerySet[Member], *, with_last: bool = False, by_chunk: bool = True
) -> dict[int, Counts]:
    """The members by type, agency, time zone, tag and cohort, per block of CHUNK ids (all
    under block 0 when not ``by_chunk``: fewer groups and rows for counts only summed): one
    statement, each a GROUP BY over the same filtered set. ``with_last`` adds, in the same
    round trip, the highest member id (which blocks the shared counts have) as
    ``{LAST: Counts({("last", None): id})}``."""
    found = _sql(members.order_by().values("id", "member_type", "agency_id", "time_zone"))
    parts, params = [], ()
    if found is not None:
        parts.append(_counts_statement(found[0], by_chunk=by_chunk))
        params = found[1]
    if with_last:
        parts.append(f"SELECT {LAST}, 'last', NULL, MAX(id) FROM {Member._meta.db_table}")  # noqa: S608
    if not parts:
        return {}
    statement = " UNION ALL ".join(parts)
    chunks: dict[int, Counts] = {}
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        for chunk, kind, value, n in cursor.fetchall():
            if kind in ("agency", "challenge", "expertise", "cohort") and value is not None:
                value = int(value)
            chunks.setdefault(chunk, Counts())[kind, value] = n or 0
    return chunks


def _counts_statement(sql: str, *, by_chunk: bool) -> str:
    challenges = Member.challenges.through._meta.db_table
    expertise = Member.expertise.through._meta.db_table
    memberships = CohortMembership._meta.db_table
    # Only table names and constants are formatted in; the values are parameters. (A constant
    # is not grouped by: in GROUP BY, a number names a column.)
    block, by = (f"h.id / {CHUNK}", f"h.id / {CHUNK}, ") if by_chunk else ("0", "")
    return f"""
        WITH hits AS ({sql})
        SELECT {block}, 'type', h.member_type, COUNT(*) FROM hits h
            GROUP BY {by}h.member_type
        UNION ALL SELECT {block}, 'agency', CAST(h.agency_id AS TEXT), COUNT(*) FROM hits h
            GROUP BY {by}h.agency_id
        UNION ALL SELECT {block}, 'time_zone', h.time_zone, COUNT(*) FROM hits h
            GROUP BY {by}h.time_zone
        UNION ALL SELECT {block}, 'challenge', CAST(t.tag_id AS TEXT), COUNT(*)
            FROM hits h JOIN {challenges} t ON t.member_id = h.id GROUP BY {by}t.tag_id
        UNION ALL SELECT {block}, 'expertise', CAST(t.tag_id AS TEXT), COUNT(*)
            FROM hits h JOIN {expertise} t ON t.member_id = h.id GROUP BY {by}t.tag_id
        UNION ALL SELECT {block}, 'cohort', CAST(m.cohort_id AS TEXT), COUNT(*)
            FROM hits h JOIN {memberships} m ON m.member_id = h.id
            GROUP BY {by}m.cohort_id
    """  # noqa: S608


def count_programs(members: QuerySet[Member], cohorts: dict[int, tuple], counts: Counts) -> Counts:
    """The members in each program the viewer sees, counted once however many of its cohorts
    they are in, among the program's cohorts the viewer sees. A program with one such cohort
    takes that cohort's count; only one with more is counted here (a query, rarely made)."""
    by_program: dict[int, list[int]] = {}
    for pk, (*_, program_id) in cohorts.items():
        by_program.setdefault(program_id, []).append(pk)
    several = [pk for pks in by_program.values() if len(pks) > 1 for pk in pks]
    programs = Counts({("program", p): counts[("cohort", pks[0])] for p, pks in by_program.items()})
    if not several:
        return programs
    joined = CohortMembership.objects.filter(cohort_id__in=several).values_list(
        "member_id", flat=True
    )
    # A few thousand ids are given as such, so that the database starts from them (as a
    # subquery, PostgreSQL tested every member against the filters first).
    ids = list(joined.distinct()[: MEMBERS_LISTED + 1])
    inside = joined if len(ids) > MEMBERS_LISTED else ids
    found = _sql(members.filter(pk__in=inside).order_by().values("id"))
    if found is None:
        return programs
    sql, params = found
    memberships, cohort_table = CohortMembership._meta.db_table, Cohort._meta.db_table
    among = ", ".join(["%s"] * len(several))
    statement = f"""
        WITH hits AS ({sql})
        SELECT c.program_id, COUNT(DISTINCT m.member_id) FROM {memberships} m
            JOIN {cohort_table} c ON c.id = m.cohort_id
            WHERE m.cohort_id IN ({among}) AND m.member_id IN (SELECT id FROM hits)
            GROUP BY c.program_id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, *several])
        for program, n in cursor.fetchall():
            programs["program", program] = n
    return programs


VERSION_KEY = "directory:version"  # replaced with every block's token: "something changed"


def _version_keys(chunks: Iterable[int]) -> list[str]:
    # The block size is in the name: blocks of another size (before a deploy) are other blocks.
    return [f"directory:version:{CHUNK}:{chunk}" for chunk in chunks]


def _tokens(keys: list[str], found: dict[str, Any]) -> list[str]:
    """The version token under each key, reading those not ``found`` already. A key without
    one (new, or evicted) gets a fresh token, so that counts kept under an older one are never
    read again."""
    found = {**found, **cache.get_many([key for key in keys if key not in found])}
    if missing := [key for key in keys if key not in found]:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, timeout=None)
        found |= cache.get_many(missing)
    return [found[key] for key in keys]


def shared_counts(members: QuerySet[Member], wanted: Criteria, last: int) -> Counts:
    """Counts over the part of visible_members that every viewer shares (members up to id
    ``last``). Each block's counts are kept in the cache under its version token, and so is
    their sum, with the tokens it was made from and the token of the whole directory. A page
    that nothing changed for reads that sum (one round trip for it and the directory's token);
    after a change, the sum less the changed blocks' counts as they were, plus their counts
    now (counted again in one query, unless another process has just kept them). Only without
    a sum, or with a block's former counts gone, are all the blocks added up again."""
    chunks = list(range(last // CHUNK + 1))
    # A new shape of what is kept under it needs a new name (what a deploy finds was made by
    # the code before it).
    summed_key = f"directory:total:{CHUNK}:{wanted.key}"
    try:
        found = cache.get_many([VERSION_KEY, summed_key])
        # The sum as (the directory's token, the blocks' tokens, the counts), when there is one.
        summed: tuple[str, tuple[str, ...], dict] = found.get(summed_key) or ("", (), {})
        if summed[0] == found.get(VERSION_KEY) and len(summed[1]) == len(chunks):
            return Counts(summed[2])
        version, *tokens = _tokens([VERSION_KEY, *_version_keys(chunks)], found)
        keys = {c: _counts_key(wanted, c, tokens[c]) for c in chunks}
        former = _former_keys(wanted, summed[1], tokens)
        needed = (
            chunks if former is None else [c for c in chunks if c in former or c >= len(summed[1])]
        )
        kept = cache.get_many([keys[c] for c in needed] + list((former or {}).values()))
        if former is not None and any(key not in kept for key in former.values()):
            former, needed = None, chunks  # a block's former counts are gone: add all up again
            kept |= cache.get_many([keys[c] for c in chunks if keys[c] not in kept])
    except Exception:  # the cache is down: count everything, keep nothing
        log.warning("directory counts not cached", exc_info=True)
        return _total(count_by_chunk(matching(members, wanted), by_chunk=False).values())
    counted: dict[str, Counts] = {}
    if missing := [c for c in needed if keys[c] not in kept]:
        spans = Q()
        for chunk in missing:
            spans |= Q(id__gte=chunk * CHUNK, id__lt=(chunk + 1) * CHUNK)
        fresh = count_by_chunk(matching(members.filter(spans), wanted))
        counted = {keys[c]: fresh.get(c, Counts()) for c in missing}
        kept |= counted
    if former is None:
        total = _total(kept[keys[c]] for c in chunks)
    else:
        total = Counts(summed[2])
        total.subtract(_total(kept[key] for key in former.values()))
        total.update(_total(kept[keys[c]] for c in needed))
        total = +total  # without the values no member has any more
    record = (version, tuple(tokens), dict(total))
    try:
        cache.set_many({**counted, summed_key: record}, timeout=COUNTS_TIMEOUT)
    except Exception:
        log.warning("directory counts not kept", exc_info=True)
    return total


def _counts_key(wanted: Criteria, chunk: int, token: str) -> str:
    return f"directory:counts:{wanted.key}:{chunk}:{token}"


def _former_keys(
    wanted: Criteria, summed: tuple[str, ...], tokens: list[str]
) -> dict[int, str] | None:
    """Where the counts that the kept sum was made from (``summed``: the blocks' tokens then)
    are, for the blocks whose token has changed since; None when there is no sum to start
    from."""
    if not summed or len(summed) > len(tokens):
        return None
    return {
        c: _counts_key(wanted, c, token) for c, token in enumerate(summed) if token != tokens[c]
    }


def _total(parts: Iterable[Counts]) -> Counts:
    total: Counts = Counts()
    for part in parts:
        total.update(part)
    return total


def members_changed(*, member_ids: Iterable[int]) -> None:
    """Retire the shared counts of the blocks holding these members, now and again after the
    transaction commits (a page counted in between read the rows as they were before it):
    every service that changes what the directory counts of a member (type, agency, time
    zone, tags, visibility, account) calls it. Nothing retires them after a rollback: a page
    is never counted inside the transaction that changes members (the directory is a GET, and
    requests are not atomic), so counts of rows that a rollback removes are never kept."""
    keys = [VERSION_KEY, *_version_keys({int(pk) // CHUNK for pk in member_ids})]

    def bump() -> None:
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
        except Exception:  # counts kept meanwhile expire after COUNTS_TIMEOUT
            log.warning("directory counts not retired", exc_info=True)

    bump()
    transaction.on_commit(bump)
