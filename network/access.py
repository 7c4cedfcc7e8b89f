"""Who may do what in the network. Reads only; every check lives here, not in templates."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from network.models import (
    Cohort,
    CohortMembership,
    FieldVisibility,
    Member,
    Position,
    Program,
    Role,
    Visibility,
)


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
    administrators. Written with subqueries rather than joins so that it never multiplies rows
    (no DISTINCT needed) and stays cheap on a large directory.

    The directory applies the same rule to its in-memory index (network.directory.visible):
    change both; tests/network/test_member_index.py checks that they agree for every role.
    """
    members = Member.objects.active()
    if is_administrator(user):
        return members
    if not user.is_authenticated:
        return members.none()
    my_cohorts = CohortMembership.objects.filter(member__user=user).values("cohort")
    managed = CohortMembership.objects.filter(member__user=user, role=Role.MANAGER).values("cohort")
    mates = CohortMembership.objects.filter(cohort__in=my_cohorts).values("member")
    managed_members = CohortMembership.objects.filter(cohort__in=managed).values("member")
    return members.filter(
        Q(visibility=Visibility.NETWORK)
        | Q(user=user)
        | Q(visibility=Visibility.COHORTS, pk__in=mates)
        | Q(pk__in=managed_members)
    )


def get_member_for(user, pk: int) -> Member:
    """A profile the user may see, or 404 (a hidden profile does not exist for others)."""
    try:
        return visible_members(user).select_related("user", "agency__parent").get(pk=pk)
    except Member.DoesNotExist:
        raise Http404("No such member.") from None


def contact_fields_for(user, member: Member) -> set[str]:
    """Which sensitive fields ("email", "phone") of the member the user may see."""
    if member.user_id == user.pk or is_administrator(user):
        shares_cohort = manages_them = True
    else:
        theirs = CohortMembership.objects.filter(member=member).values("cohort")
        mine = CohortMembership.objects.filter(member__user=user, cohort__in=theirs)
        roles = set(mine.values_list("role", flat=True))
        shares_cohort, manages_them = bool(roles), Role.MANAGER in roles
    allowed = {FieldVisibility.NETWORK}
    if shares_cohort:
        allowed.add(FieldVisibility.COHORTS)
    if manages_them:
        allowed.add(FieldVisibility.MANAGERS)
    fields = set()
    if member.email_visibility in allowed:
        fields.add("email")
    if member.phone_visibility in allowed and member.phone:
        fields.add("phone")
    return fields


def can_manage(user, cohort: Cohort) -> bool:
    if is_administrator(user):
        return True
    return CohortMembership.objects.filter(
        cohort=cohort, member__user=user, role=Role.MANAGER
    ).exists()


def get_managed_cohort_for(user, slug: str) -> Cohort:
    """The cohort if the user manages it; 404 if they cannot see it, 403 if only a member."""
    cohort = get_cohort_for(user, slug)
    if not can_manage(user, cohort):
        raise PermissionDenied("Only the cohort's managers can do this.")
    return cohort


def check_can_create_cohorts(user) -> None:
    """Administrators and people who already manage a cohort may start new ones."""
    if not (is_administrator(user) or is_manager(user)):
        raise PermissionDenied("Only network managers can create cohorts.")


def get_position_for(user, member_pk: int, pk: int) -> Position:
    """A role in the history of a profile the user may see, or 404."""
    member = get_member_for(user, member_pk)
    try:
        return member.positions.select_related("agency", "succeeds__member").get(pk=pk)
    except Position.DoesNotExist:
        raise Http404("No such role.") from None


def can_link_seat(user, member: Member) -> bool:
    """The holder, a manager of one of the holder's cohorts, or an administrator."""
    if member.user_id == user.pk or is_administrator(user):
        return True
    theirs = CohortMembership.objects.filter(member=member).values("cohort")
    return CohortMembership.objects.filter(
        member__user=user, role=Role.MANAGER, cohort__in=theirs
    ).exists()


def check_can_link_seat(user, member: Member) -> None:
    """Naming the previous holder of someone's seat is for them and the people who run it."""
    if not can_link_seat(user, member):
        raise PermissionDenied("Only the holder, their cohorts' managers or an administrator.")


def get_program_console_for(user, slug: str) -> Program:
    """A program's console: for administrators and the managers of one of its cohorts; anyone
    else is told it does not exist (404)."""
    programs = Program.objects.all()
    if not is_administrator(user):
        managed = CohortMembership.objects.filter(member__user=user, role=Role.MANAGER)
        programs = programs.filter(cohorts__in=managed.values("cohort")).distinct()
    try:
        return programs.get(slug=slug)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None
