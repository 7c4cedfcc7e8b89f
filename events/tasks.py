"""E-mail about events and polls, and the beat tasks that look for due reminders.

Tasks take ids and fetch fresh rows, so a task that runs late sends what is true then. Every
mail goes through messaging's ``send_to_member``, which honours the member's settings (event
mail, reminders), adds the one-click unsubscribe, and, given a key, sends each message once
however often the task runs (acks_late re-delivers a task whose worker died).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from events import calendar_links, ical
from events.models import RSVP, Event, Poll, PollVote, RSVPStatus
from messaging.discussions.emails import MailKind, send_to_member
from network.mail import RETRY_DEFERRED, CalendarInvite, MailDeferred, absolute
from network.models import Member
from network.timezones import clock, day, describe, zone

log = logging.getLogger(__name__)


def when_for(event: Event, member: Member) -> str:
    """The event's time in the recipient's zone, with the zone named (e.g. "PST")."""
    return describe(event.starts_at, event.ends_at, member.time_zone, None)


def planned_for(event: Event, member: Member) -> str:
    """The time where it was planned, when that is another zone than the recipient's."""
    if zone(event.time_zone).key == zone(member.time_zone).key:
        return ""
    return f"Planned in {event.time_zone.replace('_', ' ')}: " + describe(
        event.starts_at, event.ends_at, event.time_zone, None
    )


def event_context(event: Event, member: Member, *, show_location: bool = True) -> dict[str, Any]:
    """What every event mail shows: title, time in the reader's zone, place, links."""
    return {
        "event": event,
        "when": when_for(event, member),
        "planned": planned_for(event, member),
        "location": event.location_text if show_location else "",
        "event_url": absolute(reverse("events:detail", args=[event.pk])),
        "ics_url": absolute(reverse("events:ics", args=[event.pk])),
        "google_url": calendar_links.google_url(event, show_location=show_location),
        "outlook_url": calendar_links.outlook_url(event, show_location=show_location),
    }


def _each[T](rows: Iterable[T], send: Callable[[T], object]) -> None:
    """One failing recipient is logged and left; everyone after them still gets their mail.
    When the server only refused for now, the task fails at the end with MailDeferred and runs
    again: each mail has a once-key, so those already sent are not sent twice."""
    deferred: MailDeferred | None = None
    for row in rows:
        try:
            send(row)
        except MailDeferred as error:
            deferred = error
        except Exception:
            log.exception("event e-mail failed for %r", row)
    if deferred is not None:
        raise deferred


@dataclass(frozen=True)
class EventMail:
    """A mail about an event: to which answers it goes, and what it says."""

    name: str
    statuses: tuple[str, ...]
    subject: str
    heading: str
    opening: str
    cancel: bool = False


GOING = EventMail(
    "rsvp-going",
    (RSVPStatus.GOING,),
    subject="You're going: {title}",
    heading="You're going",
    opening="You're going. See you there. The invitation adds it to your calendar.",
)
PROMOTED = EventMail(
    "rsvp-promoted",
    (RSVPStatus.GOING,),
    subject="A seat opened up: {title}",
    heading="A seat opened up",
    opening="A seat opened up and you have moved from the waitlist: you're going.",
)
WITHDRAWN = EventMail(
    "rsvp-withdrawn",
    (RSVPStatus.DECLINED, RSVPStatus.WAITLISTED),
    subject="Not going: {title}",
    heading="You're no longer going",
    opening="You are no longer going to this event. Your seat has been given up.",
    cancel=True,  # takes the event out of the member's calendar
)
CHANGED = EventMail(
    "event-changed",
    (RSVPStatus.GOING,),
    subject="New time: {title}",
    heading="New time",
    opening="The time of this event has changed. The invitation updates your calendar.",
)
CANCELLED = EventMail(
    "event-cancelled",
    (RSVPStatus.GOING, RSVPStatus.WAITLISTED),
    subject="Cancelled: {title}",
    heading="Cancelled",
    opening="This event has been cancelled. The update removes it from your calendar.",
    cancel=True,
)


def _event_mail(rsvp: RSVP, mail: EventMail, key: str) -> bool:
    """Sends ``mail`` to the member of ``rsvp`` once per ``key``, with the invitation (or its
    cancellation) for their calendar."""
    event, member = rsvp.event, rsvp.member
    content = ical.invitation(event, attendee_email=member.user.email, cancel=mail.cancel)
    context = event_context(event, member, show_location=not mail.cancel)
    context.update({"heading": mail.heading, "opening": mail.opening, "cancelled": mail.cancel})
    return send_to_member(
        member=member,
        kind=MailKind.EVENTS,
        subject=mail.subject.format(title=event.title),
        template="event",
        context=context,
        calendar=CalendarInvite(content, "CANCEL" if mail.cancel else "REQUEST"),
        once_key=key,
    )


def _answer_mail(mail: EventMail, rsvp_id: int) -> bool:
    """The mail for a member's answer, if the answer still stands (a task that runs after the
    answer changed again sends nothing); once per answer."""
    rsvp = _rsvps(mail).filter(pk=rsvp_id).first()
    if rsvp is None:
        return False
    return _event_mail(rsvp, mail, f"{mail.name}:{rsvp.pk}:{rsvp.responded_at.timestamp():.6f}")


def _rsvps(mail: EventMail) -> QuerySet[RSVP]:
    return RSVP.objects.select_related("event", "member__user").filter(status__in=mail.statuses)


@shared_task(**RETRY_DEFERRED)
def send_rsvp_confirmation(rsvp_id: int) -> bool:
    return _answer_mail(GOING, rsvp_id)


@shared_task(**RETRY_DEFERRED)
def send_promoted(rsvp_id: int) -> bool:
    return _answer_mail(PROMOTED, rsvp_id)


@shared_task(**RETRY_DEFERRED)
def send_rsvp_withdrawn(rsvp_id: int) -> bool:
    return _answer_mail(WITHDRAWN, rsvp_id)


@shared_task(**RETRY_DEFERRED)
def send_event_changed(event_id: int) -> None:
    """Everyone going gets the new time and an updated invitation (higher SEQUENCE)."""
    _each(
        _rsvps(CHANGED).filter(event_id=event_id),
        lambda rsvp: _event_mail(
            rsvp, CHANGED, f"event-changed:{rsvp.event.pk}:{rsvp.event.sequence}:{rsvp.member_id}"
        ),
    )


@shared_task(**RETRY_DEFERRED)
def send_event_cancelled(event_id: int) -> None:
    _each(
        _rsvps(CANCELLED).filter(event_id=event_id),
        lambda rsvp: _event_mail(
            rsvp, CANCELLED, f"event-cancelled:{rsvp.event.pk}:{rsvp.member_id}"
        ),
    )


def how_soon(starts_at: datetime, zone_name: str, now: datetime | None = None) -> str:
    """How far off the start is, said truthfully from now: "in 45 minutes", "in 3 hours, at
    2:00 PM EST", "tomorrow at 9:00 AM EST" (only when it is the next day and more than 12
    hours off), else the day."""
    now = now or timezone.now()
    left = starts_at - now
    local = starts_at.astimezone(zone(zone_name))
    at = f"{clock(local)} {local.tzname()}"
    if left < timedelta(hours=1):
        minutes = max(int(left.total_seconds() // 60), 1)
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    if left < timedelta(hours=12):
        hours = int(left.total_seconds() // 3600)
        return f"in {hours} hour{'s' if hours != 1 else ''}, at {at}"
    days = (local.date() - now.astimezone(local.tzinfo).date()).days
    if days <= 0:
        return f"today at {at}"
    if days == 1:
        return f"tomorrow at {at}"
    return f"on {day(local)} at {at}"


def deliver_reminder(rsvp_id: int, now: datetime | None = None) -> RSVP:
    """Sends one reminder now, if the member takes reminders; called inside the transaction
    that records it."""
    rsvp = RSVP.objects.select_related("event", "member__user").get(pk=rsvp_id)
    event, member = rsvp.event, rsvp.member
    soon = how_soon(event.starts_at, member.time_zone, now)
    context = event_context(event, member)
    context.update(
        {"heading": "Reminder", "opening": f"A reminder that you're going to this event {soon}."}
    )
    send_to_member(
        member=member,
        kind=MailKind.REMINDERS,
        subject=f"Reminder: {event.title} {soon}",
        template="event",
        context=context,
    )
    return rsvp


@shared_task
def send_reminders() -> int:
    """Beat runs this every few minutes; due reminders go out once (see the service)."""
    from events.services import send_due_reminders

    return send_due_reminders()


# Polls --------------------------------------------------------------------------------------


def poll_url(poll: Poll) -> str:
    return absolute(reverse("events:poll", args=[poll.pk]))


def _poll_mail(poll: Poll, member: Member, *, kind: str, subject: str, opening: str, **kw) -> bool:
    return send_to_member(
        member=member,
        kind=kind,
        subject=subject,
        template="poll",
        context={"poll": poll, "opening": opening, "poll_url": poll_url(poll), "heading": subject},
        **kw,
    )


@shared_task(**RETRY_DEFERRED)
def send_poll_opened(poll_id: int) -> None:
    poll = Poll.objects.select_related("cohort").get(pk=poll_id)
    members = Member.objects.active().select_related("user").filter(memberships__cohort=poll.cohort)
    if poll.created_by_id is not None:
        members = members.exclude(pk=poll.created_by_id)
    _each(
        members,
        lambda member: _poll_mail(
            poll,
            member,
            kind=MailKind.EVENTS,
            subject=f"When can you make it? {poll.title}",
            opening=f"Please say which times suit you for {poll.title} ({poll.cohort.name}).",
            once_key=f"poll-opened:{poll.pk}:{member.pk}",
        ),
    )


def deliver_poll_reminder(poll_id: int, member_id: int) -> None:
    poll = Poll.objects.select_related("cohort").get(pk=poll_id)
    member = Member.objects.select_related("user").get(pk=member_id)
    _poll_mail(
        poll,
        member,
        kind=MailKind.REMINDERS,
        subject=f"Reminder: when can you make it? {poll.title}",
        opening=f"You have not yet said which times suit you for {poll.title}.",
    )


@shared_task
def send_poll_reminders() -> int:
    from events.services import send_due_poll_reminders

    return send_due_poll_reminders()


@shared_task(**RETRY_DEFERRED)
def send_poll_closed(poll_id: int) -> None:
    """Invites everyone who answered the poll to the event it scheduled."""
    poll = Poll.objects.select_related("event").get(pk=poll_id)
    event = poll.event
    assert event is not None  # a poll is closed by scheduling its event
    respondents = (
        Member.objects.select_related("user")
        .filter(pk__in=PollVote.objects.filter(slot__poll=poll).values("member"))
        .distinct()
    )

    def invite(member: Member) -> bool:
        context = event_context(event, member, show_location=False)
        context.update(
            {
                "heading": "You're invited",
                "opening": "Thank you for answering the poll. The event is scheduled. "
                "Please RSVP on its page.",
                "rsvp": True,
            }
        )
        return send_to_member(
            member=member,
            kind=MailKind.EVENTS,
            subject=f"You're invited: {event.title}",
            template="event",
            context=context,
            once_key=f"poll-closed:{poll.pk}:{member.pk}",
        )

    _each(respondents, invite)


@shared_task
def summarise_for_console() -> int:
    """Beat runs this every few minutes: tallies, RSVP days and attendance ties (see module)."""
    from events.summaries import summarise

    return summarise()
