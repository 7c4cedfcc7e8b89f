"""The facets: each filter's options, with labels and how many members each would find."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from network.directory.counts import Counts
from network.directory.filters import AgencyTree, Filters
from network.models import MemberType, Tag

TAG_FACET_SIZE = 15


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


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
