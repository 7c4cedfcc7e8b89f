"""Scheduling events: create, change, cancel, and telling the cohort."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from events import discussion, tasks
from events.models import (
    Event,
    EventStatus,
    Reminder,
    RSVPStatus,
)
from events.services.queue import _after_commit
from events.services.rsvps import _fill_from_waitlist, _people
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
