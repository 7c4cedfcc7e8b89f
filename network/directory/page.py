"""One page of the directory: its rows in the chosen order with what their cards show, its
counts and its facets."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, OuterRef, QuerySet, Value

from network import access
from network.directory.counts import LAST, _total, count_by_chunk, count_programs, shared_counts
from network.directory.facets import FacetValue, facets
from network.directory.filters import (
    FACET_LABELS,
    ORDERS,
    AgencyTree,
    Criteria,
    Filters,
    criteria,
    visible_cohorts,
)
from network.directory.matching import _sql, matching, ranked
from network.models import Agency, Member

PAGE_SIZE = 25
CARD_COLUMNS = (
    "name", "headline", "member_type", "organisation", "agency_id", "user_id", "avatar",
)  # fmt: skip


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
    mine = count_by_chunk(matching(own, wanted), with_last=True, by_chunk=False)
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
