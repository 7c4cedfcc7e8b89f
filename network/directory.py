"""The member directory: free text, filters, facet counts and sorting over visible members.

Reads only. Who is visible, what matches the filters and the counts beside each filter come
from the in-memory index (network.member_index), as bitsets: access.visible_members applied to
it (``visible``), so a hidden profile can never show up in results or in a facet count. The
order of the results is kept there too, and on PostgreSQL free-text words are found in the
word index beside it (network.text_index). The database is asked for the viewer's cohorts, the
page's rows, the parsing of a text, and the matches of a text that is more than words (a
phrase, OR, a minus; every text on SQLite) the first time. The number of queries per page is
fixed whatever the number of results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

from network import access, member_index
from network.member_index import MemberIndex, TextHits
from network.models import Agency, Member, MemberType, Role
from network.text_index import Found

PAGE_SIZE = 25
Ranking = TextHits | Found  # a text's matches, best first
TAG_FACET_SIZE = 15
# What a result card shows.
CARD_COLUMNS = ("name", "headline", "member_type", "organisation", "agency__name")
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


def text_search(members: QuerySet[Member], q: str) -> QuerySet[Member]:
    """PostgreSQL: the stored, GIN-indexed search vector, or a trigram match on the name (for
    misspelt or partial names). SQLite: every word somewhere in the search text.

    A member the words match is ranked by ts_rank (names weigh most); one matched only by a
    name that looks like the words, by that likeness. Computing the likeness for every match
    cost three times the search itself (80 of 125 ms for a common phrase)."""
    if connection.vendor == "postgresql":
        query = SearchQuery(q, search_type="websearch", config="english")
        words = Q(search_vector=query)
        return members.filter(words | Q(name__trigram_word_similar=q)).annotate(
            rank=Case(
                When(words, then=SearchRank(F("search_vector"), query)),
                default=TrigramWordSimilarity(q, "name"),
                output_field=FloatField(),
            )
        )
    for word in q.split():
        members = members.filter(Q(search_text__icontains=word) | Q(name__icontains=word))
    return members.annotate(rank=Value(0))


@dataclass(frozen=True)
class Scope:
    """What the directory needs to know about the viewer to apply access.visible_members to the
    index: their profile, their cohorts, the ones they manage, and the cohorts they may see
    (id -> slug, name, program slug, program name)."""

    administrator: bool
    member_id: int | None
    mine: tuple[int, ...]
    managed: tuple[int, ...]
    cohorts: dict[int, tuple[str, str, str, str]]

    @classmethod
    def of(cls, user) -> Scope:
        # The viewer's profile id and cohort roles in one light query: access.member_for would
        # read the whole profile (bio, search text and vector) for its id.
        rows = (
            list(
                Member.objects.filter(user=user).values_list(
                    "pk", "memberships__cohort_id", "memberships__role"
                )
            )
            if user.is_authenticated
            else []
        )
        mine = [(cohort, role) for _, cohort, role in rows if cohort is not None]
        cohorts = access.visible_cohorts(user).values_list(
            "pk", "slug", "name", "program__slug", "program__name"
        )
        return cls(
            administrator=access.is_administrator(user),
            member_id=rows[0][0] if rows else None,
            mine=tuple(cohort for cohort, _ in mine),
            managed=tuple(cohort for cohort, role in mine if role == Role.MANAGER),
            cohorts={row[0]: row[1:] for row in cohorts},
        )


def visible(index: MemberIndex, scope: Scope) -> int:
    """access.visible_members as a bitset: whole-network profiles, cohort-only ones of the
    viewer's cohort-mates, everyone in the cohorts they manage, and their own; all active."""
    active = index.bits(("active",))
    if scope.administrator:
        return active
    seen = index.bits(("network",))
    seen |= index.bits(("cohorts",)) & index.any_of(("cohort", c) for c in scope.mine)
    seen |= index.any_of(("cohort", c) for c in scope.managed) & active
    if scope.member_id is not None:
        seen |= (1 << scope.member_id) & active
    return seen


def _cohorts_chosen(filters: Filters, scope: Scope) -> list[int]:
    return [
        pk
        for pk, (slug, _, program, _) in scope.cohorts.items()
        if (not filters.program or program == filters.program)
        and (not filters.cohort or slug == filters.cohort)
    ]


def matching(
    index: MemberIndex, filters: Filters, tree: AgencyTree, scope: Scope
) -> tuple[int, Ranking | None]:
    """The visible members that match every filter and the text, and the text's ranking."""
    hits = visible(index, scope)
    if filters.member_type:
        hits &= index.bits(("type", filters.member_type))
    if filters.agency:
        hits &= index.any_of(("agency", pk) for pk in tree.with_descendants(filters.agency))
    if filters.program or filters.cohort:
        hits &= index.any_of(("cohort", pk) for pk in _cohorts_chosen(filters, scope))
    for kind, slug in (("expertise", filters.expertise), ("challenge", filters.challenge)):
        if slug:
            tag = index.tag_ids.get(slug)
            hits &= index.bits((kind, tag)) if tag is not None else 0
    if filters.time_zone:
        hits &= index.bits(("tz", filters.time_zone))
    if not filters.q:
        return hits, None
    if not hits:
        return 0, None
    text = index.text_hits(filters.q, hits)
    return hits & text.bits, text


def facets(
    index: MemberIndex, hits: int, filters: Filters, tree: AgencyTree, scope: Scope
) -> dict[str, list[FacetValue]]:
    """Counts of the results by each filter's values: an AND and a popcount per value."""

    def count(key: tuple) -> int:
        return (hits & index.bits(key)).bit_count()

    result: dict[str, list[FacetValue]] = {}
    result["member_type"] = [
        FacetValue(value, label, n)
        for value, label in MemberType.choices
        if (n := count(("type", value)))
    ]
    departments: dict[int, int] = {}
    for key in index.keys("agency"):
        # An agency deleted since the index was built is no longer in the tree.
        if key[1] in tree.by_id and (n := count(key)):
            top = tree.department(key[1])
            departments[top] = departments.get(top, 0) + n
    selected = tree.by_acronym.get(filters.agency.lower()) if filters.agency else None
    agency_values = [
        FacetValue(tree.by_id[i][1], tree.by_id[i][2], n) for i, n in departments.items()
    ]
    if selected is not None and selected not in departments and departments:
        # A sub-agency is selected: every result is in it (or below it).
        row = tree.by_id[selected]
        agency_values.append(FacetValue(row[1], row[2], sum(departments.values())))
    result["agency"] = sorted(agency_values, key=lambda v: v.label)
    programs: dict[str, tuple[str, list[int]]] = {}
    cohorts = []
    for pk, (slug, name, program, program_name) in scope.cohorts.items():
        programs.setdefault(program, (program_name, []))[1].append(pk)
        if n := count(("cohort", pk)):
            cohorts.append(FacetValue(slug, name, n))
    result["cohort"] = sorted(cohorts, key=lambda v: v.label)
    result["program"] = sorted(
        (
            FacetValue(slug, name, n)
            for slug, (name, pks) in programs.items()
            if (n := (hits & index.any_of(("cohort", pk) for pk in pks)).bit_count())
        ),
        key=lambda v: v.label,
    )
    for kind in ("challenge", "expertise"):
        counted = [
            (n, index.tags[key[1]])
            for key in index.keys(kind)
            if key[1] in index.tags and (n := count(key))
        ]
        counted.sort(key=lambda row: (-row[0], row[1][1]))
        result[kind] = [FacetValue(slug, name, n) for n, (slug, name) in counted[:TAG_FACET_SIZE]]
    zones = sorted((key[1], n) for key in index.keys("tz") if key[1] and (n := count(key)))
    result["time_zone"] = [FacetValue(z, z.replace("_", " "), n) for z, n in zones]
    return result


def page_ids(
    index: MemberIndex, hits: int, total: int, filters: Filters, text: Ranking | None, number: int
) -> list[int]:
    """The ids of one page of results, in the chosen order."""
    start = (number - 1) * PAGE_SIZE
    sort = filters.effective_sort
    order = text if sort == "relevance" and text is not None else index.orders[sort]
    return order.page(hits, total, start, PAGE_SIZE)


def search(user, filters: Filters, page_number: str | int = 1) -> Result:
    """One page of the directory with its facet counts."""
    scope = Scope.of(user)
    with member_index.using() as index:
        tree = index.tree
        hits, text = matching(index, filters, tree, scope)
        total = hits.bit_count()
        page = Paginator(range(total), PAGE_SIZE).get_page(page_number)
        ids = page_ids(index, hits, total, filters, text, page.number) if total else []
        counts = facets(index, hits, filters, tree, scope)
        tags = index.tags
    shown = Member.objects.select_related("agency").only(*CARD_COLUMNS).in_bulk(ids)
    page.object_list = [shown[pk] for pk in ids if pk in shown]
    _attach_tag_names(tags, page.object_list)
    return Result(filters=filters, page=page, facets=counts)


def _attach_tag_names(tags: dict[int, tuple[str, str]], members: list[Member]) -> None:
    """The members' tags as plain strings for the template, named from the index."""
    names: dict[tuple[str, int], list[str]] = {}
    for kind, member_id, tag_id, _ in member_index.member_links([m.pk for m in members]):
        if kind != "cohort" and tag_id in tags:
            names.setdefault((kind, member_id), []).append(tags[tag_id][1])
    for member in members:
        member.challenge_list = ", ".join(sorted(names.get(("challenge", member.pk), [])))
        member.expertise_list = ", ".join(sorted(names.get(("expertise", member.pk), [])))
