"""E-mail about events and polls, and the beat tasks that look for due reminders.

Tasks take ids and fetch fresh rows, so a task that runs late sends what is true then.
"""

from __future__ import annotations

from datetime import timedelta
from email.message import MIMEPart

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from events import ical
from events.discussion import open_thread
from events.models import RSVP, Event, Poll, PollVote, RSVPStatus
from events.timezones import describe
from network.models import Member


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def when_for(event: Event, member: Member) -> str:
    return describe(event.starts_at, event.ends_at, event.time_zone, member.time_zone)


def calendar_part(content: bytes, *, method: str) -> MIMEPart:
    """The event as an iTIP part: text/calendar with its METHOD, as Outlook expects."""
    part = MIMEPart()
    part.set_content(
        content.decode(),
        subtype="calendar",
        params={"method": method},
        disposition="attachment",
        filename="invite.ics" if method == "REQUEST" else "cancel.ics",
    )
    return part


def mail(member: Member, subject: str, body: str, *, calendar: MIMEPart | None = None) -> None:
    message = EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}", body=body, to=[member.user.email]
    )
    if calendar is not None:
        message.attach(calendar)
    message.send()


def event_lines(event: Event, member: Member, *, show_location: bool = True) -> str:
    lines = [event.title, when_for(event, member)]
    if show_location and event.location_text:
        lines.append(event.location_text)
    lines.append(absolute(reverse("events:detail", args=[event.pk])))
    return "\n".join(lines)


def _invite(rsvp: RSVP, subject: str, opening: str) -> None:
    event, member = rsvp.event, rsvp.member
    content = ical.invitation(event, attendee_email=member.user.email)
    body = f"{opening}\n\n{event_lines(event, member)}\n"
    mail(member, subject, body, calendar=calendar_part(content, method="REQUEST"))


def _going(rsvp_id: int) -> RSVP | None:
    return (
        RSVP.objects.select_related("event", "member__user")
        .filter(pk=rsvp_id, status=RSVPStatus.GOING)
        .first()
    )


@shared_task
def send_rsvp_confirmation(rsvp_id: int) -> None:
    if rsvp := _going(rsvp_id):
        _invite(rsvp, f"You're going: {rsvp.event.title}", "You're going. See you there.")


@shared_task
def send_promoted(rsvp_id: int) -> None:
    if rsvp := _going(rsvp_id):
        _invite(
            rsvp,
            f"A seat opened up: {rsvp.event.title}",
            "A seat opened up and you have moved from the waitlist: you're going.",
        )


@shared_task
def send_rsvp_withdrawn(rsvp_id: int) -> None:
    """Takes the event out of the member's calendar after they said they are not going."""
    rsvp = RSVP.objects.select_related("event", "member__user").get(pk=rsvp_id)
    if rsvp.status == RSVPStatus.GOING:
        return
    content = ical.invitation(rsvp.event, attendee_email=rsvp.member.user.email, cancel=True)
    mail(
        rsvp.member,
        f"Not going: {rsvp.event.title}",
        f"You are no longer going to {rsvp.event.title}. Your seat has been given up.\n",
        calendar=calendar_part(content, method="CANCEL"),
    )


@shared_task
def send_event_changed(event_id: int) -> None:
    """Everyone going gets the new time and an updated invitation (higher SEQUENCE)."""
    for rsvp in RSVP.objects.select_related("event", "member__user").filter(
        event_id=event_id, status=RSVPStatus.GOING
    ):
        _invite(rsvp, f"New time: {rsvp.event.title}", "The time of this event has changed.")


@shared_task
def open_discussion(event_id: int) -> None:
    """Makes the new event's discussion thread (the event page makes it too if this is late)."""
    if event := Event.objects.select_related("cohort", "created_by").filter(pk=event_id).first():
        open_thread(event)


@shared_task
def send_event_cancelled(event_id: int) -> None:
    event = Event.objects.get(pk=event_id)
    for rsvp in RSVP.objects.select_related("member__user").filter(
        event=event, status__in=[RSVPStatus.GOING, RSVPStatus.WAITLISTED]
    ):
        member = rsvp.member
        content = ical.invitation(event, attendee_email=member.user.email, cancel=True)
        details = event_lines(event, member, show_location=False)
        body = f"This event has been cancelled.\n\n{details}\n"
        mail(
            member,
            f"Cancelled: {event.title}",
            body,
            calendar=calendar_part(content, method="CANCEL"),
        )


def how_soon(offset: timedelta) -> str:
    hours = int(offset.total_seconds() // 3600)
    if offset < timedelta(hours=1):
        return f"in {int(offset.total_seconds() // 60)} minutes"
    return "tomorrow" if hours == 24 else f"in {hours} hour{'s' if hours != 1 else ''}"


def deliver_reminder(rsvp_id: int, offset: timedelta) -> RSVP:
    """Sends one reminder now; called inside the transaction that records it."""
    rsvp = RSVP.objects.select_related("event", "member__user").get(pk=rsvp_id)
    soon = how_soon(offset)
    mail(
        rsvp.member,
        f"Reminder: {rsvp.event.title} {soon}",
        f"A reminder that you're going to this event {soon}.\n\n"
        f"{event_lines(rsvp.event, rsvp.member)}\n",
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


def deliver_poll_reminder(poll_id: int, member_id: int) -> None:
    poll = Poll.objects.get(pk=poll_id)
    member = Member.objects.select_related("user").get(pk=member_id)
    mail(
        member,
        f"Reminder: when can you make it? {poll.title}",
        f"You have not yet said which times suit you for {poll.title}.\n\n{poll_url(poll)}\n",
    )


@shared_task
def send_poll_reminders() -> int:
    from events.services import send_due_poll_reminders

    return send_due_poll_reminders()


@shared_task
def send_poll_closed(poll_id: int) -> None:
    """Invites everyone who answered the poll to the event it scheduled."""
    poll = Poll.objects.select_related("event").get(pk=poll_id)
    event = poll.event
    respondents = (
        Member.objects.select_related("user")
        .filter(pk__in=PollVote.objects.filter(slot__poll=poll).values("member"))
        .distinct()
    )
    rsvp_url = absolute(reverse("events:detail", args=[event.pk]))
    for member in respondents:
        mail(
            member,
            f"You're invited: {event.title}",
            f"Thank you for answering the poll. {event.title} is scheduled for\n"
            f"{when_for(event, member)}.\n\nPlease RSVP: {rsvp_url}\n",
        )


@shared_task
def summarise_for_console() -> int:
    """Beat runs this every few minutes: tallies, RSVP days and attendance ties (see module)."""
    from events.summaries import summarise

    return summarise()
