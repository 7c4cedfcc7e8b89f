"""Who may do what in the network. Reads only; every check lives here, not in templates."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from network.models import Cohort, CohortMembership, Member, Role


def member_for(user) -> Member | None:
    """The signed-in user's member profile, or None for anonymous users and bare accounts."""
    if not user.is_authenticated:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def is_administrator(user) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def is_manager(user) -> bool:
    """Manages at least one cohort."""
    return CohortMembership.objects.filter(member__user=user, role=Role.MANAGER).exists()


def requires_mfa(user) -> bool:
    if not user.is_authenticated or user.email in settings.MFA_EXEMPT_EMAILS:
        return False
    return is_administrator(user) or is_manager(user)


def visible_cohorts(user) -> QuerySet[Cohort]:
    """Administrators see every cohort; members the cohorts they belong to."""
    cohorts = Cohort.objects.select_related("program")
    if is_administrator(user):
        return cohorts
    return cohorts.filter(memberships__member__user=user)


def get_cohort_for(user, slug: str) -> Cohort:
    """The cohort, or 404 when it does not exist or the user is not in it."""
    try:
        return visible_cohorts(user).get(slug=slug)
    except Cohort.DoesNotExist:
        raise Http404("No such cohort.") from None
