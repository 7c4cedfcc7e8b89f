"""Who may do what in the network. Reads only; every check lives here, not in templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, F, Func, OuterRef, Q, QuerySet
from django.http import Http404

from network.models import (
    Cohort,
    CohortMembership,
    FieldVisibility,
    Member,
    Position,
    Program,
    Role,
    User,
    Visibility,
)

# Whoever makes a request: a signed-in account or the anonymous visitor.
type AnyUser = User | AnonymousUser

# Set in the session when its user enrols a second factor (which proves it with a code).
MFA_ENROLLED_KEY = "convene_mfa_enrolled"


def member_for(user: AnyUser) -> Member | None:
    """The signed-in user's member profile, or None for anonymous users and bare accounts."""
    if not user.is_authenticated:
        return None
    try:
        return user.member
    except Member.DoesNotExist:
        return None


def is_administrator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def managing(user: User | OuterRef) -> QuerySet[CohortMembership]:
    """The one statement of "manages a cohort": the user's memberships as a manager. ``user``
    may be an OuterRef (network.backends annotates each request's user with it)."""
    return CohortMembership.objects.filter(member__user=user, role=Role.MANAGER)


def is_manager(user: AnyUser) -> bool:
    """Manages at least one cohort (answered by the request's user query when it can be)."""
    known = getattr(user, "manages_a_cohort", None)
    if known is not None:
        return known
    if not user.is_authenticated:
        return False
    return managing(user).exists()


def requires_mfa(user: AnyUser) -> bool:
    if not user.is_authenticated or user.email in settings.MFA_EXEMPT_EMAILS:
        return False
    return is_administrator(user) or is_manager(user)


def session_passed_mfa(session, user=None) -> bool:
    """This session itself proved a second factor: a TOTP code, a security key or a passkey at
    sign-in or re-authentication (allauth's records, when they are this user's), or enrolling
    one just now."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    if session.get(MFA_ENROLLED_KEY):
        return True
    if user is not None and session.get("account_authentication_methods_user") not in (
        None,
        str(user.pk),
    ):
        return False  # records left by another account
    records = session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    return isinstance(records, list) and any(
        isinstance(record, dict) and record.get("method") == "mfa" for record in records
    )


def mfa_satisfied(user: AnyUser, session: SessionBase) -> bool:
    """Managers and administrators may act (pages and the chat socket) only from a session
    that passed MFA; having an authenticator is not enough."""
    return session_passed_mfa(session, user) or not requires_mfa(user)


def visible_cohorts(user: AnyUser) -> QuerySet[Cohort]:
    """Administrators see every cohort; members the cohorts they belong to."""
    cohorts = Cohort.objects.select_related("program")
    if is_administrator(user):
        return cohorts
    if not user.is_authenticated:
        return cohorts.none()
    return cohorts.filter(memberships__member__user=user)


def get_cohort_for(user: AnyUser, slug: str) -> Cohort:
    """The cohort, or 404 when it does not exist or the user is not in it."""
    try:
        return visible_cohorts(user).get(slug=slug)
    except Cohort.DoesNotExist:
        raise Http404("No such cohort.") from None


def visible_members(user: AnyUser) -> QuerySet[Member]:
    """Active members whose profile the user may see, wherever members are listed.

    Whole-network profiles are seen by every member; cohort-only profiles by people who share a
    cohort with them; hidden ones only by their owner, the managers of their cohorts and
    administrators. Written with subqueries rather than joins so that it never multiplies rows
    (no DISTINCT needed) and stays cheap on a large directory.
    """
    members = Member.objects.active()
    if is_administrator(user):
        return members
    if not user.is_authenticated:
        return members.none()
    my_cohorts = CohortMembership.objects.filter(member__user=user).values("cohort")
    managed = managing(user).values("cohort")
    mates = CohortMembership.objects.filter(cohort__in=my_cohorts).values("member")
    managed_members = CohortMembership.objects.filter(cohort__in=managed).values("member")
    return members.filter(
        Q(visibility=Visibility.NETWORK)
        | Q(user=user)
        | Q(visibility=Visibility.COHORTS, pk__in=mates)
        | Q(pk__in=managed_members)
    )


def visible_members_split(
    user: AnyUser, visible: QuerySet[Member] | None = None
) -> tuple[QuerySet[Member], QuerySet[Member]]:
    """visible_members(user) as two disjoint parts: the profiles every signed-in person sees
    (the same whatever the viewer, so counts over it may be shared between viewers) and the
    ones this user sees besides (cohort-only profiles of cohort-mates, the cohorts they manage,
    their own, everyone for administrators). ``visible`` is visible_members(user), when the
    caller has it already."""
    if not user.is_authenticated:
        return Member.objects.none(), Member.objects.none()
    everyone = Member.objects.active().filter(visibility=Visibility.NETWORK)
    own = (visible_members(user) if visible is None else visible).exclude(
        visibility=Visibility.NETWORK
    )
    if is_administrator(user):
        return everyone, own
    # Only the user and people in their cohorts can be in their own part. Given as an array
    # made once (PostgreSQL), the database starts from those few ids: given as a subquery, it
    # tested the rule on every member (100 ms at 100,000); read into Python first, the ids
    # cost a round trip and ~3 ms of the web process to bind.
    mine = CohortMembership.objects.filter(member__user=user).values("cohort")
    mates = CohortMembership.objects.filter(cohort__in=mine).order_by().values("member")
    if connection.vendor != "postgresql":
        return everyone, own.filter(Q(user=user) | Q(pk__in=mates))
    among = Func(
        F("pk"), ArraySubquery(mates), arg_joiner=" = ANY(", template="%(expressions)s)",
        output_field=BooleanField(),
    )  # fmt: skip
    return everyone, own.filter(Q(user=user) | Q(among))


def get_member_for(user: AnyUser, pk: int) -> Member:
    """A profile the user may see, or 404 (a hidden profile does not exist for others)."""
    try:
        return visible_members(user).select_related("user", "agency__parent").get(pk=pk)
    except Member.DoesNotExist:
        raise Http404("No such member.") from None


def contact_fields_for(user: AnyUser, member: Member) -> set[str]:
    """Which sensitive fields ("email", "phone") of the member the user may see."""
    if member.user_id == user.pk or is_administrator(user):
        shares_cohort = manages_them = True
    elif not user.is_authenticated:
        shares_cohort = manages_them = False
    else:
        theirs = CohortMembership.objects.filter(member=member).values("cohort")
        mine = CohortMembership.objects.filter(member__user=user, cohort__in=theirs)
        roles = set(mine.values_list("role", flat=True))
        shares_cohort, manages_them = bool(roles), Role.MANAGER in roles
    return _contact_fields(member, shares_cohort=shares_cohort, manages_them=manages_them)


def contact_fields_for_stranger(member: Member) -> set[str]:
    """What contact_fields_for gives a member of the network who shares no cohort with them
    (the owner's "view as a member of another agency")."""
    return _contact_fields(member, shares_cohort=False, manages_them=False)


def seen_by_strangers(member: Member) -> bool:
    """Whether a member sharing no cohort with them finds their profile (visible_members)."""
    return member.visibility == Visibility.NETWORK


def _contact_fields(member: Member, *, shares_cohort: bool, manages_them: bool) -> set[str]:
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


def require_member(user: AnyUser) -> Member:
    """The signed-in user's member profile, or 403: a bare account (an administrator without a
    profile) can look but not take part. The one refusal every app uses."""
    member = member_for(user)
    if member is None:
        raise PermissionDenied("A member profile is needed to do this.")
    return member


def managed_cohorts(user: AnyUser) -> QuerySet[Cohort]:
    """The cohorts the user runs: every cohort for administrators, else those they manage."""
    cohorts = Cohort.objects.select_related("program")
    if is_administrator(user):
        return cohorts
    if not user.is_authenticated:
        return cohorts.none()
    return cohorts.filter(pk__in=managing(user).values("cohort"))


def can_manage(user: AnyUser, cohort: Cohort | int | None) -> bool:
    """This user manages this cohort (administrators manage every cohort). ``None`` is the
    whole network (network-wide boards and events), which only administrators run."""
    if is_administrator(user):
        return True
    if cohort is None or not user.is_authenticated:
        return False
    return managing(user).filter(cohort_id=getattr(cohort, "pk", cohort)).exists()


def get_managed_cohort_for(user: AnyUser, slug: str) -> Cohort:
    """The cohort if the user manages it; 404 if they cannot see it, 403 if only a member."""
    cohort = get_cohort_for(user, slug)
    if not can_manage(user, cohort):
        raise PermissionDenied("Only the cohort's managers can do this.")
    return cohort


def programs_for_new_cohorts(user: AnyUser) -> QuerySet[Program]:
    """Where the user may start cohorts: every program for administrators, else those they lead."""
    if is_administrator(user):
        return Program.objects.all()
    if not user.is_authenticated:
        return Program.objects.none()
    return Program.objects.filter(leads__user=user)


def can_create_cohorts(user: AnyUser) -> bool:
    return programs_for_new_cohorts(user).exists()


def check_can_create_cohorts(user: AnyUser) -> None:
    """Administrators and program leads start cohorts; a cohort's managers do not."""
    if not can_create_cohorts(user):
        raise PermissionDenied("Only administrators and program leads can create cohorts.")


def get_position_for(user: AnyUser, member_pk: int, pk: int) -> Position:
    """A role in the history of a profile the user may see, or 404."""
    member = get_member_for(user, member_pk)
    try:
        return member.positions.select_related("agency", "succeeds__member").get(pk=pk)
    except Position.DoesNotExist:
        raise Http404("No such role.") from None


def can_link_seat(user: AnyUser, member: Member) -> bool:
    """The holder, a manager of one of the holder's cohorts, or an administrator."""
    if member.user_id == user.pk or is_administrator(user):
        return True
    if not user.is_authenticated:
        return False
    theirs = CohortMembership.objects.filter(member=member).values("cohort")
    return managing(user).filter(cohort__in=theirs).exists()


def check_can_link_seat(user: AnyUser, member: Member) -> None:
    """Naming the previous holder of someone's seat is for them and the people who run it."""
    if not can_link_seat(user, member):
        raise PermissionDenied("Only the holder, their cohorts' managers or an administrator.")


def get_program_console_for(user: AnyUser, slug: str) -> Program:
    """A program's console: for administrators and the managers of one of its cohorts; anyone
    else is told it does not exist (404)."""
    programs = Program.objects.all()
    if not user.is_authenticated:
        raise Http404("No such program.")
    if not is_administrator(user):
        programs = programs.filter(cohorts__in=managing(user).values("cohort")).distinct()
    try:
        return programs.get(slug=slug)
    except Program.DoesNotExist:
        raise Http404("No such program.") from None
