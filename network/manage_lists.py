"""The manage pages' long lists: a cohort's roster and its invitations, searched, filtered,
sorted and cut into pages by the database (two queries a page: the count and the rows)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from network.models import Cohort, CohortMembership, Invitation

PER_PAGE = 25
ROSTER_SORTS = {
    "name": ("member__name", "pk"),
    "-name": ("-member__name", "-pk"),
    "joined": ("joined_at", "pk"),
    "-joined": ("-joined_at", "-pk"),
    "agency": ("member__agency__acronym", "member__name", "pk"),
    "role": ("role", "member__name", "pk"),  # "manager" sorts before "member"
}
INVITATION_SORTS = {
    "-created": ("-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "email": ("email", "pk"),
    "name": ("name", "pk"),
    "expires": ("expires_at", "pk"),
}
STATUSES = ("accepted", "pending", "expired", "revoked")


@dataclass
class Listing:
    page: Page
    query: str
    sort: str
    status: str = ""


def _page(rows: QuerySet, number: str | None) -> Page:
    return Paginator(rows, PER_PAGE).get_page(number)


def roster(cohort: Cohort, *, query: str = "", sort: str = "name", page=None) -> Listing:
    """Current members (active accounts) matching the query in name, e-mail or agency."""
    sort = sort if sort in ROSTER_SORTS else "name"
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL
    rows = cohort.memberships.filter(member__user__is_active=True)
    if query:
        rows = rows.filter(
            Q(member__name__icontains=query)
            | Q(member__user__email__icontains=query)
            | Q(member__agency__acronym__iexact=query)
            | Q(member__agency__name__icontains=query)
            | Q(member__organisation__icontains=query)
        )
    rows = rows.select_related("member__user", "member__agency").order_by(*ROSTER_SORTS[sort])
    return Listing(_page(rows, page), query, sort)


def status_filter(status: str) -> Q:
    """The invitation's status as its model's ``status`` property decides it, in SQL."""
    now = timezone.now()
    open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return {
        "accepted": Q(accepted_at__isnull=False),
        "revoked": Q(accepted_at__isnull=True, revoked_at__isnull=False),
        "expired": open_ & Q(expires_at__lte=now),
        "pending": open_ & Q(expires_at__gt=now),
    }[status]


def invitations(
    cohort: Cohort, *, query: str = "", status: str = "", sort: str = "-created", page=None
) -> Listing:
    """The cohort's invitations matching the query in e-mail, name or agency, of one status."""
    sort = sort if sort in INVITATION_SORTS else "-created"
    query = query.replace("\x00", "")  # PostgreSQL refuses NUL
    rows: QuerySet[Invitation] = cohort.invitations.all()
    if status in STATUSES:
        rows = rows.filter(status_filter(status))
    else:
        status = ""
    if query:
        rows = rows.filter(
            Q(email__icontains=query)
            | Q(name__icontains=query)
            | Q(agency__acronym__iexact=query)
            | Q(agency__name__icontains=query)
        )
    rows = rows.select_related("agency", "invited_by").order_by(*INVITATION_SORTS[sort])
    return Listing(_page(rows, page), query, sort, status)


def chosen_memberships(cohort: Cohort, ids: list[int]) -> QuerySet[CohortMembership]:
    return cohort.memberships.filter(pk__in=ids).select_related("cohort", "member")


def chosen_invitations(cohort: Cohort, ids: list[int]) -> QuerySet[Invitation]:
    return cohort.invitations.filter(pk__in=ids).select_related("cohort")
