"""Who may see and change events and polls. Another cohort's event or poll is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from events.models import CalendarFeed, Event, Poll
from network.access import is_administrator, member_for
from network.models import Cohort, CohortMembership, Member, Role


def managed_cohorts(user) -> QuerySet[Cohort]:
    """Cohorts the user may schedule for: all for administrators, else the ones they manage."""
    cohorts = Cohort.objects.select_related("program")
    if is_administrator(user):
        return cohorts
    return cohorts.filter(memberships__member__user=user, memberships__role=Role.MANAGER)


def can_schedule(user) -> bool:
    return is_administrator(user) or managed_cohorts(user).exists()


def check_can_schedule(user) -> None:
    if not can_schedule(user):
        raise PermissionDenied("Only network managers and administrators schedule events.")


def can_manage_cohort(user, cohort: Cohort | None) -> bool:
    """Administrators manage network-wide events; a cohort's managers manage its events."""
    if is_administrator(user):
        return True
    if cohort is None or not user.is_authenticated:
        return False
    return CohortMembership.objects.filter(
        cohort=cohort, member__user=user, role=Role.MANAGER
    ).exists()


def check_can_manage(user, cohort: Cohort | None) -> None:
    if not can_manage_cohort(user, cohort):
        raise PermissionDenied("Only this cohort's managers may do that.")


def can_answer_poll(user, poll: Poll) -> bool:
    """Only people in the poll's cohort answer it (an administrator looking in does not)."""
    return CohortMembership.objects.filter(cohort=poll.cohort_id, member__user=user).exists()


def get_event_for(user, pk: int) -> Event:
    """The event, or 404 when it does not exist or belongs to a cohort the user is not in."""
    try:
        return Event.objects.visible_to(user).select_related("cohort__program").get(pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None


def get_poll_for(user, pk: int) -> Poll:
    try:
        return Poll.objects.visible_to(user).select_related("cohort").get(pk=pk)
    except Poll.DoesNotExist:
        raise Http404("No such poll.") from None


def get_feed_member(token: str) -> Member:
    """The member whose active feed this token opens; a revoked or unknown token is a 404."""
    feed = (
        CalendarFeed.objects.active()
        .select_related("member__user")
        .filter(token=token, member__user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar.")
    return feed.member


def require_member(user) -> Member:
    """Scheduling and RSVP need a member profile; a bare account has nothing to show."""
    member = member_for(user)
    if member is None:
        raise PermissionDenied("A member profile is needed.")
    return member
