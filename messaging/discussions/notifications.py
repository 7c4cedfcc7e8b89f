"""Notifications: the one place that creates them, marks them read and counts them for the bell.

Other apps (events, chat) call ``notify``; e-mail follows each member's preference
(messaging.discussions.emails) and is queued after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from messaging.discussions.models import Notification, NotificationKind, Post, Thread
from network.models import Member

BELL_TTL = 10 * 60
log = logging.getLogger(__name__)


def bell_key(user_id: int) -> str:
    return f"discussions:bell:{user_id}"


def unread_count(member: Member) -> int:
    """Unread notifications, remembered in the cache so that page headers cost no query."""
    key = bell_key(member.user_id)
    try:
        count = cache.get(key)
    except Exception:  # the cache is a convenience: Redis being down must not break pages
        log.warning("bell cache unavailable", exc_info=True)
        return Notification.objects.filter(recipient=member).unread().count()
    if count is None:
        count = Notification.objects.filter(recipient=member).unread().count()
        cache.set(key, count, BELL_TTL)
    return count


def _forget_counts(user_ids: Iterable[int]) -> None:
    try:
        cache.delete_many([bell_key(user_id) for user_id in user_ids])
    except Exception:  # a stale bell for at most BELL_TTL is better than a failed request
        log.warning("bell cache unavailable", exc_info=True)


def _after_commit(recipient_ids: set[int], *, email: bool) -> None:
    from messaging.discussions import tasks

    user_ids = Member.objects.filter(pk__in=recipient_ids).values_list("user_id", flat=True)
    _forget_counts(list(user_ids))
    for member_id in sorted(recipient_ids) if email else ():
        try:
            tasks.deliver_at_once.delay(member_id)
        except Exception:  # the broker is down: the every-minute beat task sends it instead
            log.warning("could not queue e-mail for member %s", member_id, exc_info=True)


def notify(
    *,
    recipients: Iterable[Member],
    kind: NotificationKind,
    summary: str,
    url: str,
    actor: Member | None = None,
    thread: Thread | None = None,
    post: Post | None = None,
    email: bool = True,
) -> list[Notification]:
    """One notification per recipient (never the actor); e-mail is queued after commit.

    ``summary`` must not quote off-the-record content: it is shown in the bell list and e-mail.
    ``email=False`` is for callers that send their own e-mail (events send calendar
    invitations): the notifications count as e-mailed, so no digest repeats them.
    """
    emailed_at = None if email else timezone.now()
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            actor=actor,
            thread=thread,
            post=post,
            summary=summary[:300],
            url=url,
            emailed_at=emailed_at,
        )
        for recipient in recipients
        if actor is None or recipient.pk != actor.pk
    ]
    created = Notification.objects.bulk_create(rows)
    ids = {row.recipient_id for row in created}
    if ids:
        transaction.on_commit(lambda: _after_commit(ids, email=email))
    return created


def mark_read(*, member: Member, notification_ids: Iterable[int] | None = None) -> int:
    """Marks the member's notifications (the given ones, or all) read; returns how many."""
    unread = Notification.objects.filter(recipient=member).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    changed = unread.update(read_at=timezone.now())
    _forget_counts([member.user_id])
    return changed


def mark_thread_read(*, member: Member, thread: Thread) -> None:
    """Opening a thread reads its notifications too."""
    if Notification.objects.filter(recipient=member, thread=thread).unread().exists():
        mark_read(
            member=member,
            notification_ids=Notification.objects.filter(recipient=member, thread=thread)
            .unread()
            .values_list("pk", flat=True),
        )


def notify_once(
    *, recipient: Member, kind: NotificationKind, summary: str, url: str, actor: Member
) -> list[Notification]:
    """Like ``notify`` for one member, unless they still have an unread notification of this
    kind for this address: a burst of chat messages rings the bell once, not once a message.

    The caller serialises concurrent calls for one address (chat holds the room's row lock).
    """
    pending = Notification.objects.filter(recipient=recipient, kind=kind, url=url).unread()
    if pending.exists():
        return []
    return notify(recipients=[recipient], kind=kind, summary=summary, url=url, actor=actor)


def mark_url_read(*, member: Member, url: str) -> None:
    """Opening what a notification points at (a chat conversation) reads it."""
    unread = Notification.objects.filter(recipient=member, url=url).unread()
    if unread.update(read_at=timezone.now()):
        _forget_counts([member.user_id])
