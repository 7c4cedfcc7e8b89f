"""Who may see and change events and polls. Another cohort's event or poll is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from events.models import RSVP, CalendarFeed, Event, Poll, RSVPStatus
from network.access import AnyUser, can_manage, is_administrator, managed_cohorts
from network.models import Cohort, CohortMembership, Member


def can_schedule(user: AnyUser) -> bool:
    return is_administrator(user) or managed_cohorts(user).exists()


def check_can_schedule(user: AnyUser) -> None:
    if not can_schedule(user):
        raise PermissionDenied("Only network managers and administrators schedule events.")


def check_can_manage(user: AnyUser, cohort: Cohort | None) -> None:
    """Administrators manage network-wide events; a cohort's managers manage its events."""
    if not can_manage(user, cohort):
        raise PermissionDenied("Only this cohort's managers may do that.")


def shows_location(rsvp: RSVP | None, *, manages: bool) -> bool:
    """The place or video link is for the people going and the event's managers (``manages``:
    `can_manage` of the event's cohort): on the page and in the .ics download alike."""
    return manages or (rsvp is not None and rsvp.status == RSVPStatus.GOING)


def can_answer_poll(user: AnyUser, poll: Poll) -> bool:
    """Only people in the poll's cohort answer it (an administrator looking in does not)."""
    if not user.is_authenticated:
        return False
    return CohortMembership.objects.filter(cohort=poll.cohort_id, member__user=user).exists()


def get_event_for(user: AnyUser, pk: int) -> Event:
    """The event, or 404 when it does not exist or belongs to a cohort the user is not in."""
    try:
        return Event.objects.visible_to(user).select_related("cohort__program").get(pk=pk)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None


def get_poll_for(user: AnyUser, pk: int) -> Poll:
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
