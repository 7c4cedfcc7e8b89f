"""The one place that turns a member's e-mail preference into e-mail.

At once: one e-mail per thread at most every 10 minutes (later posts wait for the next batch).
Daily and weekly digests go at 7:00 in the member's own time zone and hold exactly the
notifications not yet e-mailed. Off-the-record posts are never quoted: the e-mail says there is
a new post and links to it. Every e-mail carries a signed one-click unsubscribe link.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from messaging.discussions.models import (
    EmailFrequency,
    EmailPreference,
    Notification,
    ThreadEmail,
)
from messaging.discussions.rendering import plain_text
from network.models import Member

BATCH_WINDOW = timedelta(minutes=10)
DIGEST_HOUR = 7
EXCERPT = 400
UNSUBSCRIBE_SALT = "discussions.unsubscribe"


def frequency_of(member: Member) -> str:
    pref = EmailPreference.objects.filter(member=member).first()
    return pref.frequency if pref else EmailFrequency.IMMEDIATE


def unsubscribe_token(member: Member) -> str:
    return signing.dumps(member.pk, salt=UNSUBSCRIBE_SALT)


def member_for_token(token: str) -> Member | None:
    try:
        member_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Member.objects.filter(pk=member_id).first()


def set_frequency(*, member: Member, frequency: str) -> EmailPreference:
    """Stores the member's e-mail preference."""
    pref, _ = EmailPreference.objects.update_or_create(
        member=member, defaults={"frequency": EmailFrequency(frequency)}
    )
    return pref


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _items(notifications: list[Notification]) -> list[dict]:
    items = []
    for note in notifications:
        post = note.post
        quotable = post is not None and not post.thread.off_the_record
        excerpt = ""
        if quotable and post.deleted_at is None and post.hidden_at is None:
            excerpt = plain_text(post.body_html)[:EXCERPT]
        items.append({"summary": note.summary, "url": _absolute(note.url), "excerpt": excerpt})
    return items


def _send(member: Member, subject: str, notifications: list[Notification]) -> None:
    unsubscribe = _absolute(reverse("discussions:unsubscribe", args=[unsubscribe_token(member)]))
    context = {
        "member": member,
        "items": _items(notifications),
        "unsubscribe_url": unsubscribe,
        "settings_url": _absolute(reverse("discussions:preferences")),
        "site_name": settings.SITE_NAME,
    }
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string("discussions/email/notifications.txt", context),
        to=[member.user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        emailed_at=timezone.now()
    )


def _pending(member: Member) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(recipient=member, emailed_at__isnull=True)
        .select_related("post__thread__board", "thread")
        .order_by("created_at")
    )


@transaction.atomic
def deliver_at_once(*, member_id: int, now: datetime | None = None) -> int:
    """E-mails the member's unread, un-e-mailed notifications if they chose "at once": one
    e-mail per thread, unless that thread was e-mailed in the last 10 minutes. Returns the
    number of e-mails sent."""
    now = now or timezone.now()
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    if member is None or frequency_of(member) != EmailFrequency.IMMEDIATE:
        return 0
    groups: dict[int | None, list[Notification]] = defaultdict(list)
    for note in _pending(member).select_for_update(of=("self",)).filter(read_at__isnull=True):
        groups[note.thread_id].append(note)
    recent = set(
        ThreadEmail.objects.filter(
            member=member, thread__in=[t for t in groups if t], sent_at__gt=now - BATCH_WINDOW
        ).values_list("thread", flat=True)
    )
    sent = 0
    for thread_id, notes in groups.items():
        if thread_id in recent:
            continue
        subject = notes[-1].summary if len(notes) == 1 else f"{len(notes)} new: {notes[-1].summary}"
        _send(member, subject, notes)
        if thread_id:
            ThreadEmail.objects.update_or_create(
                member=member, thread_id=thread_id, defaults={"sent_at": now}
            )
        sent += 1
    return sent


def members_with_pending_at_once() -> list[int]:
    not_immediate = EmailPreference.objects.exclude(frequency=EmailFrequency.IMMEDIATE)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .exclude(recipient__in=not_immediate.values("member"))
        .values_list("recipient", flat=True)
        .distinct()
    )


def _zone(member: Member) -> ZoneInfo:
    try:
        return ZoneInfo(member.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def last_digest_moment(frequency: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The most recent 7:00 (daily) or Monday 7:00 (weekly) in the zone, at or before now."""
    local = now.astimezone(zone)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    if frequency == EmailFrequency.WEEKLY:
        moment -= timedelta(days=moment.weekday())
    return moment


def send_due_digests(*, now: datetime | None = None) -> int:
    """Sends each daily or weekly digest that is due and has something in it; idempotent, so a
    beat that ticks twice sends nothing twice. Returns the number of digests sent."""
    now = now or timezone.now()
    sent = 0
    prefs = EmailPreference.objects.filter(
        frequency__in=[EmailFrequency.DAILY, EmailFrequency.WEEKLY]
    ).select_related("member__user")
    for pref in prefs:
        due = last_digest_moment(pref.frequency, now, _zone(pref.member))
        if pref.last_digest_at and pref.last_digest_at >= due:
            continue
        with transaction.atomic():
            notes = list(_pending(pref.member).select_for_update(of=("self",)))
            if notes:
                label = "Daily" if pref.frequency == EmailFrequency.DAILY else "Weekly"
                _send(pref.member, f"{label} digest: {len(notes)} new", notes)
                sent += 1
            EmailPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
    return sent
