"""Who may write, manage and read announcements. Reads only.

A cohort's managers announce to their cohort; administrators to any cohort, a program or the
whole network. An announcement not addressed to someone (and that they do not manage) is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from messaging.announcements.models import Announcement, Audience
from network import access as network_access
from network.access import AnyUser, is_administrator, managed_cohorts, member_for
from network.models import Cohort, Member


def announceable_cohorts(user: AnyUser) -> QuerySet[Cohort]:
    """Cohorts the user may announce to: the cohorts they run (network's one rule)."""
    return managed_cohorts(user)


def check_can_announce(user: AnyUser) -> Member:
    """The author's member profile; 403 for anyone who manages nothing."""
    member = member_for(user)
    if member is None or not (is_administrator(user) or announceable_cohorts(user).exists()):
        raise PermissionDenied("Only network managers and administrators send announcements.")
    return member


def can_manage(user: AnyUser, announcement: Announcement) -> bool:
    """Administrators manage every announcement; a cohort's managers manage the cohort's."""
    if announcement.audience != Audience.COHORT:
        return is_administrator(user)
    return network_access.can_manage(user, announcement.cohort_id)


def managed_announcements(user: AnyUser) -> QuerySet[Announcement]:
    announcements = Announcement.objects.select_related("cohort", "program", "author")
    if is_administrator(user):
        return announcements
    return announcements.filter(cohort__in=announceable_cohorts(user))


def get_announcement_for(user: AnyUser, pk: int) -> Announcement:
    """A live announcement addressed to the user, or any the user manages; else 404."""
    announcement = (
        Announcement.objects.select_related("cohort", "program", "author").filter(pk=pk).first()
    )
    if announcement is None:
        raise Http404("No such announcement.")
    if can_manage(user, announcement):
        return announcement
    member = member_for(user)
    if (
        member is not None
        and Announcement.objects.live().addressed_to(member).filter(pk=pk).exists()
    ):
        return announcement
    raise Http404("No such announcement.")


def get_managed_announcement_for(user: AnyUser, pk: int) -> Announcement:
    """For editing and withdrawing: 404 if the user cannot see it, 403 if only a reader."""
    announcement = get_announcement_for(user, pk)
    if not can_manage(user, announcement):
        raise PermissionDenied("Only the cohort's managers can change this announcement.")
    return announcement
