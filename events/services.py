"""Every write to events, RSVPs, feeds and polls. E-mail is queued after commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events import discussion, tasks
from events.models import (
    RSVP,
    Answer,
    CalendarFeed,
    Event,
    EventStatus,
    Poll,
    PollReminder,
    PollSlot,
    PollStatus,
    PollVote,
    Reminder,
    RSVPStatus,
)
from network import audit, markdown
from network.models import Cohort, Member
from network.timezones import describe

TIME_FIELDS = ("starts_at", "ends_at", "time_zone")
EDITABLE_FIELDS = (
    "cohort",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "location_kind",
    "address",
    "online_url",
    "capacity",
    "rsvp_deadline",
    "records_mode",
)


class RSVPRefused(Exception):
    """The event no longer takes answers (cancelled, started, or past its RSVP deadline)."""


def _after_commit(task, *args: Any) -> None:
    transaction.on_commit(lambda: task.delay(*args))


# Events -------------------------------------------------------------------------------------


def _tell_cohort(
    event: Event, *, kind: str, headline: str, actor: Member | None, told: Iterable[int] = ()
) -> None:
    """Every active member of the event's cohort hears once, in the app and by e-mail as their
    preference says, with the time in their own zone; ``told`` are already being told (their
    calendar invitation) and are left out. A network-wide event tells nobody this way."""
    if event.cohort_id is None:
        return
    members = (
        Member.objects.active()
        .filter(memberships__cohort=event.cohort_id)
        .exclude(pk__in=list(told))
        .only("pk", "time_zone")
    )
    by_zone: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_zone[member.time_zone].append(member)
    for zone_name, group in by_zone.items():
        when = describe(event.starts_at, event.ends_at, event.time_zone, zone_name)
        discussion.notify(
            group,
            kind=kind,
            summary=f"{headline}: {event.title}, {when}",
            event=event,
            actor=actor,
            email=True,
        )


@transaction.atomic
def create_event(
    *, creator: Member, cohort: Cohort | None, told: Iterable[int] = (), **fields: Any
) -> Event:
    """Creates a scheduled event with its discussion thread (in the same transaction, so the
    event page never lacks it); the description is stored with its sanitised HTML. The
    cohort's members are told (except ``told``, who hear otherwise)."""
    event = Event(cohort=cohort, created_by=creator, **fields)
    event.description_html = markdown.render(event.description)
    event.save()
    audit.record("event_created", actor=creator.user, target=event, event=event.pk)
    discussion.open_thread(event)
    _tell_cohort(event, kind=discussion.NEW_EVENT, headline="New event", actor=creator, told=told)
    return event


@transaction.atomic
def update_event(*, event: Event, editor: Member, **fields: Any) -> Event:
    """Applies the changes and bumps SEQUENCE so calendars replace their copy.

    When the time changes everyone going is told, and reminders already sent go again for the
    new time. A larger capacity moves people in from the waitlist, in order.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    old = {name: getattr(event, name) for name in EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(event, name, value)
    changed = [name for name in EDITABLE_FIELDS if getattr(event, name) != old[name]]
    if not changed:
        return event
    event.description_html = markdown.render(event.description)
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save()
    if any(name in changed for name in TIME_FIELDS) and (
        old["starts_at"] != event.starts_at or old["ends_at"] != event.ends_at
    ):
        Reminder.objects.filter(rsvp__event=event).delete()
        _after_commit(tasks.send_event_changed, event.pk)
        going = _people(event, RSVPStatus.GOING)
        discussion.notify(
            going,
            kind=discussion.UPDATE,
            summary=f"New time: {event.title}",
            event=event,
            actor=editor,
        )
        told = list(going.values_list("pk", flat=True))
        _tell_cohort(event, kind=discussion.UPDATE, headline="New time", actor=editor, told=told)
    if "title" in changed or "records_mode" in changed:
        discussion.follow_change(event)
    _fill_from_waitlist(event)
    audit.record("event_updated", actor=editor.user, target=event, changed=",".join(changed))
    return event


@transaction.atomic
def cancel_event(*, event: Event, editor: Member) -> Event:
    """Marks the event cancelled everywhere: its page, every feed, and a CANCEL to those going."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "sequence", "updated_at"])
    _after_commit(tasks.send_event_cancelled, event.pk)
    concerned = _people(event, RSVPStatus.GOING, RSVPStatus.WAITLISTED)
    discussion.notify(
        concerned,
        kind=discussion.UPDATE,
        summary=f"Cancelled: {event.title}",
        event=event,
        actor=editor,
    )
    told = list(concerned.values_list("pk", flat=True))
    _tell_cohort(event, kind=discussion.UPDATE, headline="Cancelled", actor=editor, told=told)
    discussion.say_cancelled(event, editor=editor)
    audit.record("event_cancelled", actor=editor.user, target=event, event=event.pk)
    return event


# RSVPs --------------------------------------------------------------------------------------


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


# Reminders ----------------------------------------------------------------------------------


def reminder_offsets() -> list[timedelta]:
    hours = getattr(settings, "EVENT_REMINDER_HOURS", (24, 1))
    return sorted((timedelta(hours=h) for h in hours), reverse=True)


def reminder_kind(offset: timedelta) -> str:
    return f"{int(offset.total_seconds() // 60)}m"


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Sends each due reminder once, to people going, however many times this runs at once.

    A reminder kind is due from its offset before the start until the next, shorter one is due
    (someone who RSVPs an hour before gets the one-hour reminder, not a day-before one). The
    unique (rsvp, kind) row is inserted in the same transaction that sends the mail: a second
    worker's insert waits on the first's and then fails, so it sends nothing; a failed send
    rolls the row back and the next tick tries again. A kind that falls due less than its
    offset after the previous reminder is recorded but not sent: nobody gets "in 1 hour" five
    minutes after a reminder that already said so.
    """
    now = now or timezone.now()
    offsets = reminder_offsets()
    sent = 0
    for index, offset in enumerate(offsets):
        window_end = offsets[index + 1] if index + 1 < len(offsets) else timedelta(0)
        kind = reminder_kind(offset)
        due = (
            RSVP.objects.filter(
                status=RSVPStatus.GOING,
                event__status=EventStatus.SCHEDULED,
                event__starts_at__lte=now + offset,
                event__starts_at__gt=now + window_end,
                member__user__is_active=True,
            )
            .exclude(reminders__kind=kind)
            .values_list("pk", flat=True)
        )
        for rsvp_id in list(due):
            sent += _send_one_reminder(rsvp_id=rsvp_id, kind=kind, offset=offset, now=now)
    return sent


def _send_one_reminder(*, rsvp_id: int, kind: str, offset: timedelta, now: datetime) -> int:
    try:
        with transaction.atomic():
            Reminder.objects.create(rsvp_id=rsvp_id, kind=kind, sent_at=now)
            recent = Reminder.objects.filter(rsvp_id=rsvp_id, sent_at__gt=now - offset)
            if recent.exclude(kind=kind).exists():
                return 0
            rsvp = tasks.deliver_reminder(rsvp_id, now)
            discussion.notify(
                [rsvp.member],
                kind=discussion.REMINDER,
                summary=f"Reminder: {rsvp.event.title} "
                + tasks.how_soon(rsvp.event.starts_at, rsvp.member.time_zone, now),
                event=rsvp.event,
            )
    except IntegrityError:
        return 0
    return 1


# Calendar feeds -----------------------------------------------------------------------------


def get_or_create_feed(*, member: Member) -> CalendarFeed:
    """The member's active feed, made on first use."""
    feed = CalendarFeed.objects.active().filter(member=member).first()
    if feed:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(member=member)
    except IntegrityError:  # a second tab made it at the same moment
        return CalendarFeed.objects.active().get(member=member)


@transaction.atomic
def reset_feed(*, member: Member) -> CalendarFeed:
    """Revokes the current feed URL (it answers 404 from now on) and issues a new one."""
    CalendarFeed.objects.active().filter(member=member).update(revoked_at=timezone.now())
    audit.record("calendar_feed_reset", actor=member.user, target=member)
    return CalendarFeed.objects.create(member=member)


# Availability polls -------------------------------------------------------------------------


def create_poll(
    *,
    creator: Member,
    cohort: Cohort,
    title: str,
    description: str = "",
    time_zone: str,
    duration_minutes: int,
    slot_starts: list[datetime],
    closes_at: datetime | None = None,
) -> Poll:
    """Opens a poll with the given slots (aware UTC) and tells the cohort, once each, in the
    app and by e-mail as each member's preference says."""
    with transaction.atomic():
        poll = Poll.objects.create(
            cohort=cohort,
            title=title,
            description=description,
            time_zone=time_zone,
            duration_minutes=duration_minutes,
            closes_at=closes_at,
            created_by=creator,
        )
        length = timedelta(minutes=duration_minutes)
        PollSlot.objects.bulk_create(
            PollSlot(poll=poll, starts_at=start, ends_at=start + length)
            for start in sorted(set(slot_starts))
        )
        _after_commit(tasks.send_poll_opened, poll.pk)  # the e-mail, once per member
        audit.record(
            "poll_created",
            actor=creator.user,
            target=poll,
            cohort=cohort.slug,
            slots=len(slot_starts),
        )
        discussion.notify(  # the bell; the e-mail is send_poll_opened's
            Member.objects.active().filter(memberships__cohort=cohort).distinct(),
            kind=discussion.POLL_OPENED,
            summary=f"When can you make it? {title} ({cohort.name})",
            url=reverse("events:poll", args=[poll.pk]),
            actor=creator,
            email=False,
        )
    return poll


@transaction.atomic
def answer_poll(*, poll: Poll, member: Member, answers: dict[int, str]) -> None:
    """Stores the member's answer for each slot, replacing earlier ones."""
    if poll.status != PollStatus.OPEN:
        raise RSVPRefused("This poll is closed.")
    slots = {slot.pk: slot for slot in poll.slots.all()}
    for slot_id, answer in answers.items():
        if slot_id not in slots or answer not in Answer.values:
            continue
        PollVote.objects.update_or_create(
            slot=slots[slot_id],
            member=member,
            defaults={"answer": answer, "answered_at": timezone.now()},
        )


@dataclass
class SlotScore:
    slot: PollSlot
    yes: int
    maybe: int
    no: int
    best: bool = False

    @property
    def score(self) -> tuple[int, int]:
        # Everyone who can come counts; a firm yes breaks a tie.
        return (self.yes + self.maybe, self.yes)


def score_slots(poll: Poll) -> list[SlotScore]:
    """Each slot with its tallies; the best ones (most who can come, then most firm yeses)."""
    slots = list(poll.slots.prefetch_related("votes"))
    scores = []
    for slot in slots:
        answers = [vote.answer for vote in slot.votes.all()]
        yes, maybe = answers.count(Answer.YES), answers.count(Answer.IF_NEED_BE)
        scores.append(SlotScore(slot, yes, maybe, answers.count(Answer.NO)))
    top = max((s.score for s in scores if s.score > (0, 0)), default=None)
    for s in scores:
        s.best = top is not None and s.score == top
    return scores


@transaction.atomic
def close_poll(*, poll: Poll, slot: PollSlot, closer: Member, **event_fields: Any) -> Event:
    """Closes the poll, schedules the event at the chosen slot and invites everyone who answered."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise RSVPRefused("This poll is already closed.")
    respondents = set(PollVote.objects.filter(slot__poll=poll).values_list("member", flat=True))
    event = create_event(
        creator=closer,
        cohort=poll.cohort,
        told=respondents,
        title=poll.title,
        description=poll.description,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        time_zone=poll.time_zone,
        **event_fields,
    )
    poll.status, poll.event = PollStatus.CLOSED, event
    poll.save(update_fields=["status", "event"])
    _after_commit(tasks.send_poll_closed, poll.pk)
    discussion.notify(
        Member.objects.filter(poll_votes__slot__poll=poll).distinct(),
        kind=discussion.INVITATION,
        summary=f"You're invited: {event.title}",
        event=event,
        actor=closer,
    )
    audit.record("poll_closed", actor=closer.user, target=poll, event=event.pk)
    return event


def poll_non_responders(poll: Poll):
    answered = PollVote.objects.filter(slot__poll=poll).values("member")
    return (
        Member.objects.active()
        .filter(memberships__cohort=poll.cohort)
        .exclude(pk__in=answered)
        .exclude(pk=poll.created_by_id or 0)
        .distinct()
    )


def remind_poll_non_responders(*, poll: Poll) -> int:
    """Nudges each cohort member who has not answered, once per poll, however often it runs."""
    if poll.status != PollStatus.OPEN:
        return 0
    sent = 0
    for member in poll_non_responders(poll):
        try:
            with transaction.atomic():
                PollReminder.objects.create(poll=poll, member=member)
                tasks.deliver_poll_reminder(poll.pk, member.pk)
        except IntegrityError:
            continue
        sent += 1
    return sent


def send_due_poll_reminders(*, now: datetime | None = None) -> int:
    """Reminds non-responders of open polls closing within a day (beat runs this)."""
    now = now or timezone.now()
    polls = Poll.objects.filter(status=PollStatus.OPEN).filter(
        Q(closes_at__lte=now + timedelta(hours=24), closes_at__gt=now)
    )
    return sum(remind_poll_non_responders(poll=poll) for poll in polls)


# Check-in at the door -------------------------------------------------------------------------


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
