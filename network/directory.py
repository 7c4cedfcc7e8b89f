"""The member directory: free text, filters, facet counts and sorting over visible members.

Reads only. Everything starts from access.visible_members, so a hidden profile can never show up
in results or in a facet count. Filters are subqueries on the member id rather than joins, so
rows are never multiplied and each facet is one GROUP BY: the number of queries per page is
fixed whatever the number of results.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Value, signals

from network import access
from network.models import Agency, CohortMembership, Member, MemberType, Visibility

PAGE_SIZE = 25
TAG_FACET_SIZE = 15
# Each part of the counts keeps more tags than are shown, so that adding the parts together
# ranks the shown ones right unless the viewer's own few profiles move a tag past ~50 others.
SHARED_TAGS = 60
FACET_CACHE_SECONDS = 300
VERSION_KEY = "directory:version"
log = logging.getLogger(__name__)
SORTS = {
    "relevance": "Best match",
    "name": "Name",
    "newest": "Newest members",
    "agency": "Agency or organisation",
}


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


def _tag_members(relation: str, slug: str) -> QuerySet:
    through = getattr(Member, relation).through
    return through.objects.filter(tag__slug=slug).values("member_id")


def filtered(
    user, filters: Filters, tree: AgencyTree, members: QuerySet[Member] | None = None
) -> QuerySet[Member]:
    """Visible members (or the given subset of them) matching every filter, unordered."""
    if members is None:
        members = access.visible_members(user)
    if filters.member_type:
        members = members.filter(member_type=filters.member_type)
    if filters.agency:
        members = members.filter(agency_id__in=tree.with_descendants(filters.agency))
    if filters.program or filters.cohort:
        memberships = CohortMembership.objects.filter(cohort__in=access.visible_cohorts(user))
        if filters.program:
            memberships = memberships.filter(cohort__program__slug=filters.program)
        if filters.cohort:
            memberships = memberships.filter(cohort__slug=filters.cohort)
        members = members.filter(pk__in=memberships.values("member_id"))
    if filters.expertise:
        members = members.filter(pk__in=_tag_members("expertise", filters.expertise))
    if filters.challenge:
        members = members.filter(pk__in=_tag_members("challenges", filters.challenge))
    if filters.time_zone:
        members = members.filter(time_zone=filters.time_zone)
    if filters.q:
        members = text_search(members, filters.q)
    return members


def text_search(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """PostgreSQL: the stored, GIN-indexed search vector, or a trigram match on the name (for
    misspelt or partial names). SQLite: every word somewhere in the search text."""
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        return members.filter(Q(search_vector=query) | Q(name__trigram_word_similar=q)).annotate(
            rank=SearchRank(F("search_vector"), query) + TrigramWordSimilarity(q, "name")
        )
    for word in q.split():
        members = members.filter(Q(search_text__icontains=word) | Q(name__icontains=word))
    return members.annotate(rank=Value(0))


def ordered(members: QuerySet[Member], filters: Filters) -> QuerySet[Member]:
    sort = filters.effective_sort
    if sort == "relevance":
        return members.order_by("-rank", "name", "pk")
    if sort == "newest":
        return members.order_by("-user__date_joined", "pk")
    if sort == "agency":
        return members.order_by(F("agency__name").asc(nulls_last=True), "organisation", "name")
    return members.order_by("name", "pk")


FACETS_SQL = """
WITH hits AS MATERIALIZED ({hits})
SELECT 'member_type', member_type, '', count(*) FROM hits GROUP BY member_type
UNION ALL SELECT 'agency', agency_id::text, '', count(*) FROM hits GROUP BY agency_id
UNION ALL SELECT 'time_zone', time_zone, '', count(*) FROM hits GROUP BY time_zone
UNION ALL (SELECT 'challenge', t.slug, t.name, count(*) FROM hits h
    JOIN network_member_challenges x ON x.member_id = h.id JOIN network_tag t ON t.id = x.tag_id
    GROUP BY t.slug, t.name ORDER BY count(*) DESC, t.name LIMIT {tags})
UNION ALL (SELECT 'expertise', t.slug, t.name, count(*) FROM hits h
    JOIN network_member_expertise x ON x.member_id = h.id JOIN network_tag t ON t.id = x.tag_id
    GROUP BY t.slug, t.name ORDER BY count(*) DESC, t.name LIMIT {tags})
UNION ALL SELECT 'cohort', c.slug, c.name, count(*) FROM hits h
    JOIN network_cohortmembership m ON m.member_id = h.id
    JOIN network_cohort c ON c.id = m.cohort_id
    WHERE m.cohort_id = ANY(%s) GROUP BY c.slug, c.name
UNION ALL SELECT 'program', p.slug, p.name, count(DISTINCT h.id) FROM hits h
    JOIN network_cohortmembership m ON m.member_id = h.id
    JOIN network_cohort c ON c.id = m.cohort_id
    JOIN network_program p ON p.id = c.program_id
    WHERE m.cohort_id = ANY(%s) GROUP BY p.slug, p.name
"""


def _facet_rows_postgres(
    members: QuerySet[Member], cohort_ids: list[int], tags: int
) -> dict[str, list[tuple]]:
    """Every facet in one statement: the matching members are found once (a materialised CTE)
    and grouped seven ways, instead of running the whole search once per facet."""
    hits = members.order_by().values("id", "member_type", "agency_id", "time_zone")
    try:
        hits_sql, params = hits.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as an unknown agency
        return {}
    rows: dict[str, list[tuple]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            FACETS_SQL.format(hits=hits_sql, tags=tags), [*params, cohort_ids, cohort_ids]
        )
        for facet, value, label, n in cursor.fetchall():
            rows.setdefault(facet, []).append((value, label, n))
    return rows


def _facet_rows_orm(
    members: QuerySet[Member], cohort_ids: list[int], tags: int
) -> dict[str, list[tuple]]:
    """The same counts with one portable GROUP BY query per facet (SQLite)."""
    ids = members.order_by().values("pk")
    rows: dict[str, list[tuple]] = {}
    for name in ("member_type", "agency_id", "time_zone"):
        grouped = members.order_by().values_list(name).annotate(n=Count("pk"))
        rows[name.removesuffix("_id")] = [(str(v) if v else v, "", n) for v, n in grouped]
    visible = CohortMembership.objects.filter(member_id__in=ids, cohort__in=cohort_ids).order_by()
    rows["program"] = list(
        visible.values_list("cohort__program__slug", "cohort__program__name").annotate(
            n=Count("member_id", distinct=True)
        )
    )
    rows["cohort"] = list(
        visible.values_list("cohort__slug", "cohort__name").annotate(n=Count("member_id"))
    )
    for key, relation in (("expertise", "expertise"), ("challenge", "challenges")):
        through = getattr(Member, relation).through
        rows[key] = list(
            through.objects.filter(member_id__in=ids)
            .values_list("tag__slug", "tag__name")
            .annotate(n=Count("member_id"))
            .order_by("-n", "tag__name")[:tags]
        )
    return rows


def data_version() -> int | None:
    """Bumped by every change that can move a count (connect_receivers); part of every cache
    key, so a changed profile is never counted from a stale entry. None when the cache is
    unreachable: the directory then computes everything and caches nothing."""
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            # Starts from the clock, not 1, so a key that was evicted never revives old entries.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:
        log.warning("directory cache unavailable", exc_info=True)
        return None
    return version


def invalidate() -> None:
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # not set yet, or evicted
            cache.set(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # Redis down: nothing can be read from it either (data_version is None)
        log.warning("directory cache unavailable", exc_info=True)


def _facet_rows(members: QuerySet[Member], cohort_ids: list[int], tags: int):
    if connection.vendor == "postgresql":
        return _facet_rows_postgres(members, cohort_ids, tags)
    return _facet_rows_orm(members, cohort_ids, tags)


def _cache_key(kind: str, version: int | None, *parts) -> str | None:
    if version is None:
        return None
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"directory:{kind}:{version}:{digest}"


def _cache_get(key: str | None):
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:
        log.warning("directory cache unavailable", exc_info=True)
        return None


def _cache_set(key: str | None, value) -> None:
    if key is None:
        return
    try:
        cache.set(key, value, FACET_CACHE_SECONDS)
    except Exception:
        log.warning("directory cache unavailable", exc_info=True)


def _cached(key: str | None, compute):
    value = _cache_get(key)
    if value is None:
        value = compute()
        _cache_set(key, value)
    return value


def _merge(*parts: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    merged: dict[str, dict[tuple, int]] = {}
    for rows in parts:
        for facet, values in rows.items():
            counts = merged.setdefault(facet, {})
            for value, label, n in values:
                counts[(value, label)] = counts.get((value, label), 0) + n
    return {
        facet: [(value, label, n) for (value, label), n in counts.items()]
        for facet, counts in merged.items()
    }


def facet_rows(
    user, filters: Filters, tree: AgencyTree, version: int | None
) -> dict[str, list[tuple]]:
    """Counts for the members the user may see, in two disjoint parts.

    Whole-network profiles are the same for everyone who sees the same cohorts, so their counts
    are computed once and shared (cached by the filters, those cohorts and the data version).
    The profiles the viewer sees only through a cohort, as its manager or as their owner are
    few, counted by a second, small query and cached for that viewer. The parts never overlap,
    so their sum is exact.
    """
    administrator = access.is_administrator(user)
    cohort_ids = sorted(access.visible_cohorts(user).values_list("pk", flat=True))
    scope = "*" if administrator else cohort_ids

    def shared() -> dict[str, list[tuple]]:
        network = Member.objects.active().filter(visibility=Visibility.NETWORK)
        return _facet_rows(filtered(user, filters, tree, network), cohort_ids, SHARED_TAGS)

    def extra() -> dict[str, list[tuple]]:
        members = filtered(user, filters, tree, access.extra_visible_members(user))
        return _facet_rows(members, cohort_ids, SHARED_TAGS)

    shared_rows = _cached(_cache_key("shared", version, filters, scope), shared)
    # The viewer's own part is cached for the viewer (administrators share theirs).
    owner = "admin" if administrator else user.pk
    extra_rows = _cached(_cache_key("extra", version, filters, owner), extra)
    return _merge(shared_rows, extra_rows)


def facets(
    user, filters: Filters, tree: AgencyTree, version: int | None
) -> dict[str, list[FacetValue]]:
    """Counts of the current results by each filter, within what the user may see."""
    rows = facet_rows(user, filters, tree, version)
    result: dict[str, list[FacetValue]] = {}
    types = {value: n for value, _, n in rows.get("member_type", [])}
    result["member_type"] = [
        FacetValue(value, label, types[value])
        for value, label in MemberType.choices
        if types.get(value)
    ]
    departments: dict[int, int] = {}
    for agency_id, _, n in rows.get("agency", []):
        if agency_id is not None:
            top = tree.department(int(agency_id))
            departments[top] = departments.get(top, 0) + n
    selected = tree.by_acronym.get(filters.agency.lower()) if filters.agency else None
    agency_values = [
        FacetValue(tree.by_id[i][1], tree.by_id[i][2], n) for i, n in departments.items()
    ]
    if selected is not None and selected not in departments:
        # A sub-agency is selected: every result is in it (or below it).
        row = tree.by_id[selected]
        agency_values.append(FacetValue(row[1], row[2], sum(departments.values())))
    result["agency"] = sorted(agency_values, key=lambda v: v.label)
    for key in ("program", "cohort"):
        result[key] = sorted(
            (FacetValue(v, label, n) for v, label, n in rows.get(key, [])), key=lambda v: v.label
        )
    for key in ("challenge", "expertise"):
        ranked = sorted(rows.get(key, []), key=lambda row: (-row[2], row[1]))
        result[key] = [FacetValue(v, label, n) for v, label, n in ranked[:TAG_FACET_SIZE]]
    zones = sorted((v, n) for v, _, n in rows.get("time_zone", []))
    result["time_zone"] = [FacetValue(z, z.replace("_", " "), n) for z, n in zones]
    return result


def search(user, filters: Filters, page_number: str | int = 1) -> Result:
    """One page of the directory with its facet counts."""
    tree = AgencyTree()
    version = data_version()
    counts = facets(user, filters, tree, version)
    total = sum(value.count for value in counts["member_type"])
    # The page's place from the count alone; the ranking query is built only when the page's
    # ids are not remembered (building it costs a warm request more than reading the cache).
    page = Paginator(range(total), PAGE_SIZE).get_page(page_number)

    def ranked_ids() -> list[int]:
        ranked = ordered(filtered(user, filters, tree), filters).values_list("pk", flat=True)
        start = (page.number - 1) * PAGE_SIZE
        return list(ranked[start : start + PAGE_SIZE])

    # The ranking (which can read thousands of search vectors) is kept for a viewer's repeat
    # visits and paging back; the rows shown are always read fresh.
    ids = _cached(_cache_key("page", version, user.pk, filters, page.number), ranked_ids)
    shown = Member.objects.select_related("agency").in_bulk(ids)
    page.object_list = [shown[pk] for pk in ids if pk in shown]
    _attach_tag_names(page.object_list)
    return Result(filters=filters, page=page, facets=counts)


def _attach_tag_names(members: list[Member]) -> None:
    """Two queries of (member, tag name) pairs, joined into plain strings for the template;
    cheaper than prefetching Tag objects that the page only prints."""
    ids = [member.pk for member in members]
    for attribute, relation in (("challenge_list", "challenges"), ("expertise_list", "expertise")):
        names: dict[int, list[str]] = {}
        through = getattr(Member, relation).through
        pairs = through.objects.filter(member_id__in=ids).order_by("tag__name")
        for member_id, name in pairs.values_list("member_id", "tag__name"):
            names.setdefault(member_id, []).append(name)
        for member in members:
            setattr(member, attribute, ", ".join(names.get(member.pk, [])))


def _data_changed(sender, update_fields=None, **kwargs) -> None:
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # every sign-in saves the user; nothing the directory counts has changed
    # Now, for the rest of this request, and again after commit, so that a count cached by a
    # concurrent request from the uncommitted state does not outlive the change.
    invalidate()
    transaction.on_commit(invalidate)


def connect_receivers() -> None:
    """Any change to who is listed, their type, agency, zone, tags or cohorts moves a count."""
    from django.contrib.auth import get_user_model

    from network.models import Cohort, Tag

    for model in (Member, CohortMembership, Cohort, Tag, get_user_model()):
        signals.post_save.connect(_data_changed, sender=model, dispatch_uid=f"dir-{model}")
        signals.post_delete.connect(_data_changed, sender=model, dispatch_uid=f"dir-d-{model}")
    for through in (Member.challenges.through, Member.expertise.through):
        signals.m2m_changed.connect(_data_changed, sender=through, dispatch_uid=f"dir-{through}")
