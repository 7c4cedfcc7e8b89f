"""An event's discussion thread and its in-app notifications, through the small public
functions of the messaging app: events imports no discussions model, and works without it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.urls import reverse

from events.models import Event
from network.models import Member

# Kinds of notification, as messaging names them.
INVITATION = "event_invitation"
REMINDER = "event_reminder"
UPDATE = "event_update"
NEW_EVENT = "event_new"
POLL_OPENED = "poll_opened"


def _discussions_installed() -> bool:
    return apps.is_installed("messaging.discussions")


def open_thread(event: Event) -> Any | None:
    """Get or make the event's thread (idempotent); None without discussions or an author.
    Called when the event is created (events.services.create_event), never by a page."""
    if not _discussions_installed() or event.created_by is None:
        return None
    from messaging.discussions.services import thread_for_event

    return thread_for_event(
        event_uid=event.uid,
        title=event.title,
        url=reverse("events:detail", args=[event.pk]),
        cohort=event.cohort,
        records_mode=event.records_mode,
        author=event.created_by,
    )


def thread_for(user, event: Event) -> Any | None:
    """The thread the event page links to, if it exists and the viewer may open it; a page
    never makes one."""
    if not _discussions_installed():
        return None
    from messaging.discussions.access import event_thread_for

    return event_thread_for(user, event.uid)


def follow_change(event: Event) -> None:
    """The thread's title and records mode after an edit (see follow_event_change)."""
    if _discussions_installed():
        from messaging.discussions.services import follow_event_change

        follow_event_change(event_uid=event.uid, title=event.title, records_mode=event.records_mode)


def say_cancelled(event: Event, *, editor: Member) -> None:
    """Tells the thread, so that people reading the discussion do not plan for it."""
    if _discussions_installed():
        from messaging.discussions.services import post_to_event_thread

        post_to_event_thread(
            event_uid=event.uid, author=editor, body="This event has been cancelled."
        )


def notify(
    recipients: Iterable[Member],
    *,
    kind: str,
    summary: str,
    event: Event | None = None,
    url: str = "",
    actor=None,
    email: bool = False,
) -> None:
    """The bell for people concerned by an event (or a poll, by ``url``).

    By default these are never e-mailed: events send their own e-mail with the calendar
    invitation. ``email=True`` hands the e-mail to messaging, which follows each member's
    preference (the cohort-wide news of a new event, a change or a poll).
    """
    if not _discussions_installed():
        return
    from messaging.discussions.models import NotificationKind
    from messaging.discussions.notifications import notify as ring

    if not url:
        assert event is not None, "the bell links to the event unless given a url"
        url = reverse("events:detail", args=[event.pk])
    ring(
        recipients=recipients,
        kind=NotificationKind(kind),
        summary=summary,
        url=url,
        actor=actor,
        email=email,
    )
