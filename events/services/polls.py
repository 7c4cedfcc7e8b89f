"""Availability polls: answers, scores, closing into an event, reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events import discussion, tasks
from events.models import (
    Answer,
    Event,
    Poll,
    PollReminder,
    PollSlot,
    PollStatus,
    PollVote,
)
from events.services.queue import _after_commit
from events.services.rsvps import RSVPRefused
from events.services.scheduling import create_event
from network import audit
from network.models import Cohort, Member


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
