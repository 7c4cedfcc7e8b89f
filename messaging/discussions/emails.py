"""The one place that turns a member's e-mail preferences into e-mail.

Every mail to a member goes through ``send_to_member``: it checks that the account is active and
that the member wants that kind of mail (``MailKind``), composes the message on the shared
layout (network.mail), and adds a one-click unsubscribe (RFC 8058) that turns off exactly that
kind. A ``once_key`` makes a send idempotent: a task run twice sends nothing the second time.

Replies, mentions and direct messages follow the member's frequency. At once: one e-mail per
thread at most every 10 minutes (later posts wait for the next batch). Daily and weekly digests
go at 7:00 in the member's own time zone and hold the notifications not yet e-mailed and not
yet read on the site. Off-the-record posts are never quoted: the e-mail says there is a new
post and links to it.
"""

from __future__ import annotations

import base64
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from messaging.discussions.models import (
    EmailFrequency,
    EmailPreference,
    MailKind,
    Notification,
    SentEmail,
    ThreadEmail,
)
from messaging.discussions.rendering import plain_text
from network.mail import CalendarInvite, MailDeferred, absolute, compose, local_time
from network.models import Member
from network.timezones import zone

BATCH_WINDOW = timedelta(minutes=10)
DIGEST_HOUR = 7
EXCERPT = 400
MAX_FAILURES = 10  # the per-minute task tries a failing member's mail for about ten minutes
FAILURE_MEMORY = 3600
UNSUBSCRIBE_SALT = "discussions.unsubscribe"
# One letter per kind keeps the unsubscribe address short enough to stay plain ASCII.
_KIND_CODES = {
    MailKind.DISCUSSIONS: "d",
    MailKind.EVENTS: "e",
    MailKind.REMINDERS: "r",
    MailKind.ANNOUNCEMENTS: "a",
    MailKind.NUDGES: "n",
}
_CODE_KINDS = {code: kind for kind, code in _KIND_CODES.items()}
log = logging.getLogger(__name__)


# Preferences --------------------------------------------------------------------------------


def preferences_of(member: Member) -> EmailPreference:
    """The member's choices; the defaults (unsaved) when they never changed them."""
    return EmailPreference.objects.filter(member=member).first() or EmailPreference(member=member)


def frequency_of(member: Member) -> str:
    return preferences_of(member).frequency


def wants(member: Member, kind: str) -> bool:
    """Whether the member takes this kind of mail at all (digests count as wanting it)."""
    prefs = preferences_of(member)
    if kind == MailKind.DISCUSSIONS:
        return prefs.frequency != EmailFrequency.OFF
    return bool(getattr(prefs, MailKind(kind).value))


def set_frequency(*, member: Member, frequency: str) -> EmailPreference:
    """Stores how often the member hears about replies, mentions and messages."""
    pref, _ = EmailPreference.objects.update_or_create(
        member=member, defaults={"frequency": EmailFrequency(frequency)}
    )
    return pref


def save_preferences(*, member: Member, frequency: str, kinds: dict[str, bool]) -> EmailPreference:
    """Stores the whole settings page: the frequency and each on/off kind."""
    defaults: dict[str, Any] = {"frequency": EmailFrequency(frequency)}
    defaults.update({MailKind(k).value: bool(on) for k, on in kinds.items()})
    defaults.pop(MailKind.DISCUSSIONS.value, None)
    pref, _ = EmailPreference.objects.update_or_create(member=member, defaults=defaults)
    return pref


def turn_off(*, member: Member, kind: str) -> EmailPreference:
    """One-click unsubscribe: exactly this kind of mail stops, the rest is untouched."""
    if kind == MailKind.DISCUSSIONS:
        return set_frequency(member=member, frequency=EmailFrequency.OFF)
    pref, _ = EmailPreference.objects.update_or_create(
        member=member, defaults={MailKind(kind).value: False}
    )
    return pref


# Unsubscribe tokens -------------------------------------------------------------------------


def _mac(value: str) -> str:
    digest = salted_hmac(UNSUBSCRIBE_SALT, value, algorithm="sha256").digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def unsubscribe_token(member: Member, kind: str = MailKind.DISCUSSIONS) -> str:
    """Short and ASCII ("42.e.<16 characters>"), so the header never needs encoding."""
    value = f"{member.pk}.{_KIND_CODES[MailKind(kind)]}"
    return f"{value}.{_mac(value)}"


def read_token(token: str) -> tuple[Member, str] | None:
    """The member and the kind of mail a token turns off; None when it was not made here."""
    pk, _, rest = token.partition(".")
    code, _, mac = rest.partition(".")
    if not (
        pk.isdigit() and code in _CODE_KINDS and constant_time_compare(mac, _mac(f"{pk}.{code}"))
    ):
        return None
    member = Member.objects.filter(pk=int(pk)).first()
    return (member, _CODE_KINDS[code]) if member else None


def unsubscribe_url(member: Member, kind: str) -> str:
    return absolute(reverse("discussions:unsubscribe", args=[unsubscribe_token(member, kind)]))


# Sending ------------------------------------------------------------------------------------


def is_reachable(member: Member) -> bool:
    """An active account with an address: deactivated members get no mail at all."""
    user = member.user
    return bool(user.is_active and user.email and member.deactivated_at is None)


def _already_sent(key: str, member: Member) -> bool:
    """Claims the key inside the caller's transaction; True when another run already had it."""
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key[:200], member=member)
    except IntegrityError:
        return True
    return False


def send_to_member(
    *,
    member: Member,
    kind: str,
    subject: str,
    template: str,
    context: dict[str, Any] | None = None,
    calendar: CalendarInvite | None = None,
    once_key: str | None = None,
) -> bool:
    """Sends ``email/<template>.txt`` and ``.html`` to the member if they take ``kind`` mail.

    The subject is made one line (a title with a line break cannot add a header); the message
    carries ``List-Unsubscribe`` (plain ASCII) and ``List-Unsubscribe-Post`` for that kind.
    With ``once_key`` the send is recorded in the same transaction, so the same key never
    sends twice. Returns whether a message went.
    """
    if not is_reachable(member) or not wants(member, kind):
        return False
    with transaction.atomic():
        if once_key and _already_sent(once_key, member):
            return False
        _compose_for(member, kind, subject, template, context or {}, calendar).send()
    return True


def _compose_for(
    member: Member,
    kind: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    calendar: CalendarInvite | None,
):
    unsubscribe = unsubscribe_url(member, kind)
    context = {
        **context,
        "member": member,
        "unsubscribe_url": unsubscribe,
        "unsubscribe_label": f"Stop e-mails like this ({MailKind(kind).label.lower()})",
        "settings_url": absolute(reverse("discussions:preferences")),
    }
    return compose(
        to=member.user.email,
        subject=subject,
        template=template,
        context=context,
        calendar=calendar,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


# Replies, mentions and messages -------------------------------------------------------------


def _items(member: Member, notifications: list[Notification]) -> list[dict]:
    items = []
    for note in notifications:
        post = note.post
        quotable = post is not None and not post.thread.off_the_record
        excerpt = ""
        if post is not None and quotable and post.deleted_at is None and post.hidden_at is None:
            excerpt = plain_text(post.body_html)[:EXCERPT]
        items.append(
            {
                "summary": note.summary,
                "url": absolute(note.url),
                "excerpt": excerpt,
                "when": local_time(note.created_at, member.time_zone),
            }
        )
    return items


def _send_notes(member: Member, subject: str, heading: str, notes: list[Notification]) -> None:
    context = {"heading": heading, "items": _items(member, notes)}
    _compose_for(member, MailKind.DISCUSSIONS, subject, "notifications", context, None).send()
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())


def _pending(member: Member) -> QuerySet[Notification]:
    """Not yet e-mailed and not yet read on the site: what a mail or digest still has to say."""
    return (
        Notification.objects.filter(recipient=member, emailed_at__isnull=True, read_at__isnull=True)
        .select_related("post__thread__board", "thread")
        .order_by("created_at")
    )


def deliver_at_once(*, member_id: int, now: datetime | None = None) -> int:
    """E-mails the member's unread, un-e-mailed notifications if they chose "at once": one
    e-mail per thread, unless that thread was e-mailed in the last 10 minutes. Returns the
    number of e-mails sent. The rows are locked and marked in one transaction, so a second
    run (or a re-delivered task) finds nothing left to send. A relay that refuses for now
    stops the run: what went stays marked as sent (committed), and MailDeferred is raised
    after the commit so that the task retries only the rest."""
    sent, deferred = _deliver_at_once(member_id, now or timezone.now())
    if deferred is not None:
        raise deferred
    return sent


@transaction.atomic
def _deliver_at_once(member_id: int, now: datetime) -> tuple[int, MailDeferred | None]:
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    if member is None or not is_reachable(member):
        return 0, None
    if frequency_of(member) != EmailFrequency.IMMEDIATE:
        return 0, None
    groups: dict[int | None, list[Notification]] = defaultdict(list)
    for note in _pending(member).select_for_update(of=("self",)):
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
        try:
            _send_notes(member, subject, "New since you last looked", notes)
        except MailDeferred as refused:
            return sent, refused
        if thread_id:
            ThreadEmail.objects.update_or_create(
                member=member, thread_id=thread_id, defaults={"sent_at": now}
            )
        sent += 1
    return sent, None


def members_with_pending_at_once() -> list[int]:
    not_immediate = EmailPreference.objects.exclude(frequency=EmailFrequency.IMMEDIATE)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True)
        .exclude(recipient__in=not_immediate.values("member"))
        .values_list("recipient", flat=True)
        .distinct()
    )


def _failures_key(member_id: int) -> str:
    return f"discussions:mail-failures:{member_id}"


def _note_failure(member_id: int) -> None:
    """Counts a member's failures in a row (in the shared cache); after MAX_FAILURES their
    waiting notifications are given up on: marked e-mailed, still under the bell, and logged."""
    key = _failures_key(member_id)
    cache.add(key, 0, FAILURE_MEMORY)
    failures = cache.incr(key)
    if failures < MAX_FAILURES:
        log.exception("e-mail to member %s failed (%s in a row); tried again", member_id, failures)
        return
    dropped = Notification.objects.filter(
        recipient_id=member_id, emailed_at__isnull=True, read_at__isnull=True
    ).update(emailed_at=timezone.now())
    cache.delete(key)
    log.exception(
        "e-mail to member %s failed %s times in a row: %s notifications dropped from e-mail "
        "(still shown under the bell)",
        member_id,
        failures,
        dropped,
    )


def deliver_pending(*, now: datetime | None = None) -> int:
    """Every member's held-back mail. One member's failure (a bad address, a template error, a
    refusing server) is logged and tried again next minute, and after MAX_FAILURES in a row
    dropped from e-mail with a log record; everyone after them still gets theirs."""
    sent = 0
    for member_id in members_with_pending_at_once():
        try:
            sent += deliver_at_once(member_id=member_id, now=now)
        except Exception:
            _note_failure(member_id)
        else:
            cache.delete(_failures_key(member_id))
    return sent


def last_digest_moment(frequency: str, now: datetime, zone: ZoneInfo) -> datetime:
    """The most recent 7:00 (daily) or Monday 7:00 (weekly) in the zone, at or before now."""
    local = now.astimezone(zone)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment > local:
        moment -= timedelta(days=1)
    if frequency == EmailFrequency.WEEKLY:
        moment -= timedelta(days=moment.weekday())
    return moment


def _send_digest(pref: EmailPreference, now: datetime) -> bool:
    with transaction.atomic():
        locked = EmailPreference.objects.select_for_update().get(pk=pref.pk)
        due = last_digest_moment(locked.frequency, now, zone(pref.member.time_zone))
        if locked.last_digest_at and locked.last_digest_at >= due:
            return False  # another run sent it meanwhile
        notes = list(_pending(pref.member).select_for_update(of=("self",)))
        if notes:
            label = "Daily" if locked.frequency == EmailFrequency.DAILY else "Weekly"
            subject = f"{label} digest: {len(notes)} new"
            _send_notes(pref.member, subject, f"Your {label.lower()} digest", notes)
        EmailPreference.objects.filter(pk=pref.pk).update(last_digest_at=now)
        return bool(notes)


def send_due_digests(*, now: datetime | None = None) -> int:
    """Sends each daily or weekly digest that is due and has something in it; idempotent, so a
    beat that ticks twice sends nothing twice. A failing member is logged and skipped; the
    others still get theirs. Returns the number of digests sent."""
    now = now or timezone.now()
    sent = 0
    prefs = EmailPreference.objects.filter(
        frequency__in=[EmailFrequency.DAILY, EmailFrequency.WEEKLY],
        member__user__is_active=True,
        member__deactivated_at__isnull=True,
    ).select_related("member__user")
    for pref in prefs:
        due = last_digest_moment(pref.frequency, now, zone(pref.member.time_zone))
        if pref.last_digest_at and pref.last_digest_at >= due:
            continue
        try:
            sent += _send_digest(pref, now)
        except Exception:
            log.exception("digest for member %s failed; it is tried again", pref.member_id)
    return sent
