"""Who may do what in the network. Reads only; every check lives here, not in templates."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from network.models import Cohort, CohortMembership, Member, Role, Visibility


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


def visible_members(user) -> QuerySet[Member]:
    """Active members whose profile the user may see, wherever members are listed.

    Whole-network profiles are seen by every member; cohort-only profiles by people who share a
    cohort with them; hidden ones only by their owner, the managers of their cohorts and
    administrators.
    """
    members = Member.objects.active()
    if is_administrator(user):
        return members
    if not user.is_authenticated:
        return members.none()
    my_cohorts = CohortMembership.objects.filter(member__user=user).values("cohort")
    managed = CohortMembership.objects.filter(member__user=user, role=Role.MANAGER).values("cohort")
    return members.filter(
        Q(user=user)
        | Q(visibility=Visibility.NETWORK)
        | Q(visibility=Visibility.COHORTS, memberships__cohort__in=my_cohorts)
        | Q(memberships__cohort__in=managed)
    ).distinct()
