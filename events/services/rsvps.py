"""RSVPs, the waitlist, seats given up, attendance and check-in at the door."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from events import discussion, tasks
from events.models import (
    RSVP,
    Event,
    EventStatus,
    RSVPStatus,
)
from events.services.queue import _after_commit
from network import audit
from network.models import Cohort, Member


class RSVPRefused(Exception):
    """The event no longer takes answers (cancelled, started, or past its RSVP deadline)."""


def _people(event: Event, *statuses: str):
    """Members whose answer to the event is one of ``statuses``."""
    return Member.objects.filter(rsvps__event=event, rsvps__status__in=statuses)


def seats_taken(event: Event) -> int:
    return event.rsvps.filter(status=RSVPStatus.GOING).count()


@transaction.atomic
def rsvp(*, event: Event, member: Member, going: bool) -> RSVP:
    """Records going or not going.

    The event row is locked (SELECT ... FOR UPDATE) for the whole decision, so answers to one
    event are taken one at a time and the seats given never exceed its capacity. At capacity a
    "going" answer joins the end of the waitlist. Giving up a seat moves the first person on the
    waitlist in and tells them.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    current = RSVP.objects.filter(event=event, member=member).first()
    if going and event.rsvps_closed:
        raise RSVPRefused("This event is no longer taking RSVPs.")
    if event.is_cancelled:
        raise RSVPRefused("This event has been cancelled.")
    now = timezone.now()
    if current is None:
        current = RSVP(event=event, member=member)
    was = current.status
    if going:
        if was in (RSVPStatus.GOING, RSVPStatus.WAITLISTED):
            return current
        if event.capacity is not None and seats_taken(event) >= event.capacity:
            current.status, current.waitlisted_at = RSVPStatus.WAITLISTED, now
        else:
            current.status, current.waitlisted_at = RSVPStatus.GOING, None
    else:
        if was == RSVPStatus.DECLINED:
            return current
        current.status, current.waitlisted_at = RSVPStatus.DECLINED, None
    current.responded_at = now
    current.save()
    audit.record("rsvp", actor=member.user, target=event, status=current.status, was=was or "")
    if current.status == RSVPStatus.GOING:
        _after_commit(tasks.send_rsvp_confirmation, current.pk)
    if was == RSVPStatus.GOING and not going:
        _after_commit(tasks.send_rsvp_withdrawn, current.pk)
        _fill_from_waitlist(event)
    return current


def _fill_from_waitlist(event: Event) -> list[RSVP]:
    """Moves people from the waitlist into free seats, first come first served.

    The caller holds the event's row lock. Once the event has started nobody is moved in: a seat
    given up during the event is no use to anyone.
    """
    if event.starts_at <= timezone.now() or event.is_cancelled:
        return []
    waiting = RSVP.objects.filter(event=event, status=RSVPStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    if event.capacity is not None:
        free = event.capacity - seats_taken(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for row in promoted:
        row.status, row.waitlisted_at = RSVPStatus.GOING, None
        row.save(update_fields=["status", "waitlisted_at"])
        _after_commit(tasks.send_promoted, row.pk)
    if promoted:
        discussion.notify(
            Member.objects.filter(pk__in=[row.member_id for row in promoted]),
            kind=discussion.INVITATION,
            summary=f"A seat opened up: you're going to {event.title}",
            event=event,
        )
    return promoted


@transaction.atomic
def release_seats(*, member: Member, cohort: Cohort | None = None) -> int:
    """Gives up the member's seats and waitlist places in events still to come (of one cohort,
    when they leave it; all of them, when their account closes) and moves the waitlist in, in
    order. Their calendar gets a cancellation if they still take mail. Returns how many."""
    answers = RSVP.objects.filter(
        member=member,
        status__in=[RSVPStatus.GOING, RSVPStatus.WAITLISTED],
        event__starts_at__gt=timezone.now(),
        event__status=EventStatus.SCHEDULED,
    )
    if cohort is not None:
        answers = answers.filter(event__cohort=cohort)
    released = 0
    for event_id in sorted(set(answers.values_list("event_id", flat=True))):
        event = Event.objects.select_for_update().get(pk=event_id)
        row = RSVP.objects.get(event=event, member=member)
        was_going = row.status == RSVPStatus.GOING
        row.status, row.waitlisted_at, row.responded_at = RSVPStatus.DECLINED, None, timezone.now()
        row.save(update_fields=["status", "waitlisted_at", "responded_at"])
        if was_going:
            _after_commit(tasks.send_rsvp_withdrawn, row.pk)
            _fill_from_waitlist(event)
        released += 1
    return released


def mark_attendance(*, event: Event, attended_member_ids: set[int], marker: Member) -> int:
    """Records who came among those going; everyone else going is marked absent."""
    rows = event.rsvps.filter(status=RSVPStatus.GOING)
    with transaction.atomic():
        rows.filter(member_id__in=attended_member_ids).update(attended=True)
        rows.exclude(member_id__in=attended_member_ids).update(attended=False)
    audit.record(
        "attendance_marked", actor=marker.user, target=event, count=len(attended_member_ids)
    )
    return rows.filter(attended=True).count()


@transaction.atomic
def check_in(*, event: Event, member: Member, marker: Member) -> RSVP:
    """Marks the member arrived. Someone without a seat (waitlisted, declined or no answer) is
    let in as a walk-in: the door is not the place to count seats."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    row = RSVP.objects.filter(event=event, member=member).first()
    if row is None:
        row = RSVP(event=event, member=member, walk_in=True)
    elif row.status != RSVPStatus.GOING:
        row.walk_in = True
    if row.checked_in_at is None:
        row.checked_in_at = timezone.now()
    row.status, row.waitlisted_at, row.attended = RSVPStatus.GOING, None, True
    row.save()
    return row


@transaction.atomic
def undo_check_in(*, event: Event, member: Member) -> RSVP | None:
    """Takes back an arrival marked by mistake (a walk-in keeps their answer of going)."""
    row = RSVP.objects.select_for_update().filter(event=event, member=member).first()
    if row is not None:
        row.checked_in_at, row.attended = None, None
        row.save(update_fields=["checked_in_at", "attended"])
    return row
