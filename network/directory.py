"""The member directory: free text, filters, facet counts and sorting over visible members.

Reads only, from the database. Who may be listed comes from access.visible_members (split by
access.visible_members_split into the part every signed-in person sees and the part only this
viewer sees); nothing here decides who may see whom.

- The page of 25 is one query over visible_members(user), ordered by the database.
- The facet counts (and the total) are one GROUP BY over the filtered set per part. Counts over
  the shared part do not depend on the viewer, so they are kept in the cache (Redis in
  production, shared by every process) per block of CHUNK member ids, under a version token per
  block that the services replace when they change one of its members, at once and after
  commit (members_changed). A profile change therefore recounts one block, not the network. Counts
  over the viewer's own part (cohort-only profiles of cohort-mates, the cohorts they manage,
  their own profile) are made per request and added: the two parts are disjoint. A program
  with several cohorts the viewer sees is counted per request too (each member once).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import astuple, dataclass, field, replace
from functools import cached_property
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Case, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Value, When

from network import access
from network.models import Agency, Cohort, CohortMembership, Member, MemberType, Tag

log = logging.getLogger(__name__)

PAGE_SIZE = 25
TAG_FACET_SIZE = 15
CHUNK = 1024  # member ids per block of shared counts
MEMBERS_LISTED = 5000  # members of the viewer's cohorts past which they are left to a subquery
COUNTS_TIMEOUT = 3600  # bounds how long a write outside the services can leave a count behind
CARD_COLUMNS = (
    "name", "headline", "member_type", "organisation", "agency_id", "user_id", "avatar",
)  # fmt: skip
SORTS = {
    "relevance": "Best match",
    "name": "Name",
    "newest": "Newest members",
    "agency": "Agency or organisation",
}
ORDERS = {
    "relevance": ("-matched", "-rank", "name", "id"),
    "name": ("name", "id"),
    "newest": ("-id",),
    "agency": (F("agency__name").asc(nulls_last=True), "organisation", "name", "id"),
}
Counts = Counter  # (kind, value) -> members


@dataclass(frozen=True)
class Filters:
    q: str = ""
    member_type: str = ""
    agency: str = ""
    program: str = ""
    cohort: str = ""
    expertise: str = ""
    challenge: str = ""
    time_zone: str = ""
    sort: str = ""

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in FILTER_NAMES)

    @property
    def effective_sort(self) -> str:
        if self.sort in SORTS and (self.sort != "relevance" or self.q):
            return self.sort
        return "relevance" if self.q else "name"


FILTER_NAMES = (
    "q", "member_type", "agency", "program", "cohort", "expertise", "challenge", "time_zone",
)  # fmt: skip


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


FACET_LABELS = {
    "member_type": "Member type",
    "agency": "Agency (includes sub-agencies)",
    "program": "Program",
    "cohort": "Cohort",
    "challenge": "Working on",
    "expertise": "Expertise",
    "time_zone": "Time zone",
}


@dataclass
class Result:
    filters: Filters
    page: Page
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    def facet_fields(self) -> list[tuple[str, str, list[FacetValue], str]]:
        """(name, label, values, current value) per filter, in the order the form shows them."""
        return [
            (name, label, self.facets.get(name, []), getattr(self.filters, name))
            for name, label in FACET_LABELS.items()
        ]

    @property
    def total(self) -> int:
        return self.page.paginator.count


class AgencyTree:
    """Every agency with its parent, loaded in one query, for roll-ups and sub-agency filters."""

    def __init__(self) -> None:
        rows = list(Agency.objects.values_list("id", "acronym", "name", "parent_id"))
        self.by_id = {row[0]: row for row in rows}
        self.by_acronym = {row[1].lower(): row[0] for row in rows}

    def with_descendants(self, acronym: str) -> list[int]:
        root = self.by_acronym.get(acronym.lower())
        if root is None:
            return []
        found, frontier = {root}, {root}
        while frontier:
            frontier = {row[0] for row in self.by_id.values() if row[3] in frontier} - found
            found |= frontier
        return sorted(found)

    def department(self, agency_id: int) -> int:
        seen = set()
        while self.by_id[agency_id][3] is not None and agency_id not in seen:
            seen.add(agency_id)
            agency_id = self.by_id[agency_id][3]
        return agency_id


# Matching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """The filters resolved to what the database compares: the same for every viewer who asks
    the same thing, so it also names the shared counts."""

    q: str
    member_type: str
    agencies: tuple[int, ...] | None  # None: any agency
    cohorts: tuple[int, ...] | None  # None: any cohort
    expertise: str
    challenge: str
    time_zone: str

    @cached_property
    def key(self) -> str:
        return hashlib.sha1(repr(astuple(self)).encode()).hexdigest()  # noqa: S324 (a name)


def text_search(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """PostgreSQL: the stored, GIN-indexed search vector, or a name like the text (pg_trgm's
    ``<%``, GIN-indexed too) for misspelt or partial names. SQLite: every word somewhere in the
    search text or the name."""
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        return members.filter(Q(search_vector=query) | Q(name__trigram_word_similar=q))
    for word in q.split():
        members = members.filter(Q(search_text__icontains=word) | Q(name__icontains=word))
    return members


def ranked(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """The ranking of text_search: word matches first, by ts_rank (weights: name 1.0, headline
    and organisation 0.4, the rest 0.2), then names like the text, most alike first."""
    if connection.vendor != "postgresql":
        return members.annotate(matched=Value(1), rank=Value(0.0))
    query = SearchQuery(q, search_type="websearch", config="english")
    words = Q(search_vector=query)
    return members.annotate(
        matched=Case(When(words, then=1), default=0, output_field=IntegerField()),
        rank=Case(
            When(words, then=SearchRank(F("search_vector"), query)),
            default=TrigramWordSimilarity(q, "name"),
            output_field=FloatField(),
        ),
    )


def criteria(filters: Filters, tree: AgencyTree, cohorts: dict[int, tuple]) -> Criteria:
    """The filters as ids; a cohort or program counts only among the cohorts the viewer sees."""
    chosen = None
    if filters.program or filters.cohort:
        chosen = tuple(
            pk
            for pk, (slug, _, program, *_) in cohorts.items()
            if (not filters.program or program == filters.program)
            and (not filters.cohort or slug == filters.cohort)
        )
    agencies = tuple(tree.with_descendants(filters.agency)) if filters.agency else None
    return Criteria(
        filters.q, filters.member_type, agencies, chosen,
        filters.expertise, filters.challenge, filters.time_zone,
    )  # fmt: skip


def matching(members: QuerySet[Member], wanted: Criteria) -> QuerySet[Member]:
    """The members that match every filter and the text."""
    if wanted.member_type:
        members = members.filter(member_type=wanted.member_type)
    if wanted.agencies is not None:
        members = members.filter(agency_id__in=wanted.agencies)
    if wanted.cohorts is not None:
        joined = CohortMembership.objects.filter(cohort_id__in=wanted.cohorts)
        members = members.filter(pk__in=joined.values("member_id"))
    for through, slug in (
        (Member.expertise.through, wanted.expertise),
        (Member.challenges.through, wanted.challenge),
    ):
        if slug:
            members = members.filter(
                pk__in=through.objects.filter(tag__slug=slug).values_list("member_id", flat=True)
            )
    if wanted.time_zone:
        members = members.filter(time_zone=wanted.time_zone)
    return text_search(members, wanted.q) if wanted.q else members


# Counting ------------------------------------------------------------------------------------


def _sql(members: QuerySet) -> tuple[str, tuple] | None:
    try:
        return members.query.sql_with_params()
    except EmptyResultSet:
        return None


LAST = -1  # count_by_chunk(..., with_last=True) gives the highest member id as {LAST: {...}}


def count_by_chunk(members: QuerySet[Member], *, with_last: bool = False) -> dict[int, Counts]:
    """The members by type, agency, time zone, tag and cohort, per block of CHUNK ids: one
    statement, each a GROUP BY over the same filtered set. ``with_last`` adds, in the same
    round trip, the highest member id (which blocks the shared counts have) as
    ``{LAST: Counts({("last", None): id})}``."""
    found = _sql(members.order_by().values("id", "member_type", "agency_id", "time_zone"))
    parts, params = [], ()
    if found is not None:
        parts.append(_counts_statement(found[0]))
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


def _counts_statement(sql: str) -> str:
    challenges = Member.challenges.through._meta.db_table
    expertise = Member.expertise.through._meta.db_table
    memberships = CohortMembership._meta.db_table
    # Only table names and constants are formatted in; the values are parameters.
    return f"""
        WITH hits AS ({sql})
        SELECT h.id / {CHUNK}, 'type', h.member_type, COUNT(*) FROM hits h
            GROUP BY h.id / {CHUNK}, h.member_type
        UNION ALL SELECT h.id / {CHUNK}, 'agency', CAST(h.agency_id AS TEXT), COUNT(*) FROM hits h
            GROUP BY h.id / {CHUNK}, h.agency_id
        UNION ALL SELECT h.id / {CHUNK}, 'time_zone', h.time_zone, COUNT(*) FROM hits h
            GROUP BY h.id / {CHUNK}, h.time_zone
        UNION ALL SELECT h.id / {CHUNK}, 'challenge', CAST(t.tag_id AS TEXT), COUNT(*)
            FROM hits h JOIN {challenges} t ON t.member_id = h.id GROUP BY h.id / {CHUNK}, t.tag_id
        UNION ALL SELECT h.id / {CHUNK}, 'expertise', CAST(t.tag_id AS TEXT), COUNT(*)
            FROM hits h JOIN {expertise} t ON t.member_id = h.id GROUP BY h.id / {CHUNK}, t.tag_id
        UNION ALL SELECT h.id / {CHUNK}, 'cohort', CAST(m.cohort_id AS TEXT), COUNT(*)
            FROM hits h JOIN {memberships} m ON m.member_id = h.id
            GROUP BY h.id / {CHUNK}, m.cohort_id
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
        return _total(count_by_chunk(matching(members, wanted)).values())
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
    zone, tags, visibility, account) calls it."""
    keys = [VERSION_KEY, *_version_keys({int(pk) // CHUNK for pk in member_ids})]

    def bump() -> None:
        try:
            cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
        except Exception:  # counts kept meanwhile expire after COUNTS_TIMEOUT
            log.warning("directory counts not retired", exc_info=True)

    bump()
    transaction.on_commit(bump)


# The page ------------------------------------------------------------------------------------


def facets(
    counts: Counts, filters: Filters, tree: AgencyTree, cohorts: dict[int, tuple]
) -> dict[str, list[FacetValue]]:
    """The counts as each filter's options, with labels."""
    by_kind: dict[str, dict] = {}
    for (kind, value), n in counts.items():
        if n:
            by_kind.setdefault(kind, {})[value] = n
    result = {
        "member_type": [
            FacetValue(value, label, by_kind.get("type", {})[value])
            for value, label in MemberType.choices
            if value in by_kind.get("type", {})
        ],
        "agency": _agencies(by_kind.get("agency", {}), filters, tree),
        "cohort": sorted(
            (
                FacetValue(cohorts[pk][0], cohorts[pk][1], n)
                for pk, n in by_kind.get("cohort", {}).items()
                if pk in cohorts  # counted for everyone; shown for the cohorts the viewer sees
            ),
            key=lambda v: v.label,
        ),
        "time_zone": [
            FacetValue(zone, zone.replace("_", " "), n)
            for zone, n in sorted(by_kind.get("time_zone", {}).items())
            if zone
        ],
    }
    programs = {program_id: (slug, name) for _, _, slug, name, program_id in cohorts.values()}
    result["program"] = sorted(
        (
            FacetValue(*programs[pk], n)
            for pk, n in by_kind.get("program", {}).items()
            if pk in programs
        ),
        key=lambda v: v.label,
    )
    tops = {
        kind: sorted(by_kind.get(kind, {}).items(), key=lambda item: -item[1])
        for kind in ("challenge", "expertise")
    }
    # A tag gone since it was counted is left out, as is anything past the first ones shown.
    names = _tag_names({pk for kind in tops for pk, _ in tops[kind][: TAG_FACET_SIZE * 2]})
    for kind, values in tops.items():
        shown = sorted(
            ((n, names[pk]) for pk, n in values if pk in names), key=lambda r: (-r[0], r[1][1])
        )
        result[kind] = [FacetValue(slug, name, n) for n, (slug, name) in shown[:TAG_FACET_SIZE]]
    return result


def _tag_names(ids: set[int]) -> dict[int, tuple[str, str]]:
    rows = Tag.objects.filter(pk__in=ids).values_list("pk", "slug", "name") if ids else []
    return {pk: (slug, name) for pk, slug, name in rows}


def _agencies(counts: dict[int, int], filters: Filters, tree: AgencyTree) -> list[FacetValue]:
    """Members per department, sub-agencies rolled up; a selected sub-agency is listed too."""
    departments: Counter = Counter()
    for agency_id, n in counts.items():
        if agency_id in tree.by_id:  # None (no agency) and agencies deleted meanwhile aside
            departments[tree.department(agency_id)] += n
    values = [FacetValue(tree.by_id[i][1], tree.by_id[i][2], n) for i, n in departments.items()]
    selected = tree.by_acronym.get(filters.agency.lower()) if filters.agency else None
    if selected is not None and selected not in departments and departments:
        row = tree.by_id[selected]
        values.append(FacetValue(row[1], row[2], sum(departments.values())))
    return sorted(values, key=lambda v: v.label)


def visible_cohorts(user) -> dict[int, tuple[str, str, str, str, int]]:
    """The cohorts the viewer may see: id -> slug, name, program slug, program name, program."""
    rows = access.visible_cohorts(user).values_list(
        "pk", "slug", "name", "program__slug", "program__name", "program_id"
    )
    return {row[0]: row[1:] for row in rows}


def page_of(
    visible: QuerySet[Member], wanted: Criteria, filters: Filters, start: int, tree: AgencyTree
) -> list[Member]:
    """One page of results in the chosen order, with what a card shows. ``visible`` is
    access.visible_members(user), ``wanted`` the resolved filters."""
    sort = filters.effective_sort
    if sort == "relevance" and connection.vendor == "postgresql":
        ids = ranked_ids(matching(visible, replace(wanted, q="")), wanted.q, start)
        # The rows shown are read again through the rule, with what their cards show.
        found = {m.pk: m for m in _cards(visible.filter(pk__in=ids))}
        shown = [found[pk] for pk in ids if pk in found]
    else:
        members = matching(visible, wanted)
        if sort == "relevance":
            members = ranked(members, filters.q)
        shown = list(_cards(members.order_by(*ORDERS[sort]))[start : start + PAGE_SIZE])
    for member in shown:
        # The agency's name from the tree read for the filters, not a join per page.
        row = tree.by_id.get(member.agency_id) if member.agency_id else None
        member.agency = Agency(id=row[0], acronym=row[1], name=row[2]) if row else None
        if connection.vendor == "postgresql":  # read with the row (_cards)
            member.challenge_list = ", ".join(getattr(member, "challenge_names", []))
            member.expertise_list = ", ".join(getattr(member, "expertise_names", []))
    if connection.vendor != "postgresql":
        _attach_tag_names(shown)
    return shown


def ranked_ids(members: QuerySet[Member], q: str, start: int) -> list[int]:
    """PostgreSQL: the ids of one page in the order of ``ranked``, as two ranked lists cut at
    the page's end: the members whose words match, by ts_rank, then those only whose name is
    like the text, most alike first. The text is matched once per member (not once for the
    filter and twice again for the order), and names alike are looked for only when the words
    did not fill the page (a one-time filter: PostgreSQL skips that half otherwise)."""
    sql, params = ranked_page(members, q, start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def ranked_page(members: QuerySet[Member], q: str, start: int) -> tuple[str, tuple]:
    """The statement of ranked_ids, with its parameters."""
    query = SearchQuery(q, search_type="websearch", config="english")
    end = start + PAGE_SIZE
    words = (
        members.filter(search_vector=query)
        .annotate(score=SearchRank(F("search_vector"), query))
        .order_by("-score", "name", "id")
        .values_list("id", "score", "name")[:end]
    )
    alike = (
        members.filter(name__trigram_word_similar=q)
        .exclude(search_vector=query)
        .annotate(score=TrigramWordSimilarity(q, "name"))
        .order_by("-score", "name", "id")
        .values_list("id", "score", "name")[:end]
    )
    found_words, found_alike = _sql(words), _sql(alike)
    if found_words is None or found_alike is None:  # a filter that matches nobody
        return "SELECT 1 WHERE 1 = 0", ()
    # Only the two compiled querysets and constants are formatted in.
    statement = f"""
        WITH words AS ({found_words[0]})
        SELECT id FROM (
            SELECT id, 1 AS tier, score, name FROM words
            UNION ALL
            SELECT id, 0, score, name FROM ({found_alike[0]}) alike
                WHERE (SELECT COUNT(*) FROM words) < {end}
        ) page ORDER BY tier DESC, score DESC, name, id LIMIT {PAGE_SIZE} OFFSET {start}
    """  # noqa: S608
    return statement, (*found_words[1], *found_alike[1])


def _cards(members: QuerySet[Member]) -> QuerySet[Member]:
    """What a card shows; on PostgreSQL with the member's tags in the same query."""
    members = members.only(*CARD_COLUMNS)
    if connection.vendor != "postgresql":
        return members
    return members.annotate(
        challenge_names=_tag_names_of(Member.challenges.through),
        expertise_names=_tag_names_of(Member.expertise.through),
    )


def _tag_names_of(through) -> ArraySubquery:
    tags = through.objects.filter(member_id=OuterRef("pk")).order_by("tag__name")
    return ArraySubquery(tags.values("tag__name"))


def _attach_tag_names(members: list[Member]) -> None:
    """The members' challenges and expertise as plain strings for the cards, in one query (two
    prefetches, and a queryset per card to read them, were a fifth of the page's CPU)."""
    names: dict[tuple[str, int], list[str]] = {}
    tables = (("challenge", Member.challenges.through), ("expertise", Member.expertise.through))
    if members:
        ids = [m.pk for m in members]
        kinds = [
            through.objects.filter(member_id__in=ids)
            .annotate(kind=Value(kind))
            .values_list("kind", "member_id", "tag__name")  # type: ignore[misc]  # an annotation
            for kind, through in tables
        ]
        for kind, member_id, name in kinds[0].union(kinds[1], all=True):
            names.setdefault((kind, member_id), []).append(name)
    for member in members:
        member.challenge_list = ", ".join(sorted(names.get(("challenge", member.pk), [])))
        member.expertise_list = ", ".join(sorted(names.get(("expertise", member.pk), [])))


def search(user, filters: Filters, page_number: str | int = 1) -> Result:
    """One page of the directory with its facet counts, all within access.visible_members."""
    tree, cohorts = AgencyTree(), visible_cohorts(user)
    wanted = criteria(filters, tree, cohorts)
    visible = access.visible_members(user)
    everyone, own = access.visible_members_split(user, visible)
    mine = count_by_chunk(matching(own, wanted), with_last=True)
    last = mine.pop(LAST)["last", None]
    counts = shared_counts(everyone, wanted, last)
    counts.update(_total(mine.values()))
    counts.update(count_programs(matching(visible, wanted), cohorts, counts))
    total = sum(n for (kind, _), n in counts.items() if kind == "type")
    # Pages of the count, then the page's members in place of its numbers.
    page: Page[Any] = Paginator(range(total), PAGE_SIZE).get_page(page_number)
    start = (page.number - 1) * PAGE_SIZE
    page.object_list = page_of(visible, wanted, filters, start, tree) if total else []
    return Result(filters=filters, page=page, facets=facets(counts, filters, tree, cohorts))
