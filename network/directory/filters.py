"""What a viewer asks the directory for: the filters and sorts as the form names them, and the
same resolved to the ids the database compares (Criteria), among the agencies and the cohorts
the viewer sees."""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from functools import cached_property

from django.db.models import F

from network import access
from network.models import Agency

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

FACET_LABELS = {
    "member_type": "Member type",
    "agency": "Agency (includes sub-agencies)",
    "program": "Program",
    "cohort": "Cohort",
    "challenge": "Working on",
    "expertise": "Expertise",
    "time_zone": "Time zone",
}


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


def visible_cohorts(user) -> dict[int, tuple[str, str, str, str, int]]:
    """The cohorts the viewer may see: id -> slug, name, program slug, program name, program."""
    rows = access.visible_cohorts(user).values_list(
        "pk", "slug", "name", "program__slug", "program__name", "program_id"
    )
    return {row[0]: row[1:] for row in rows}
