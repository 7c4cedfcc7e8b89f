"""Every write to announcements: write, schedule, send, edit, withdraw, dismiss.

Sending is idempotent: the row is locked and ``sent_at`` set in the transaction that rings the
bell, so a beat that ticks twice, or a manager pressing "send" while the beat runs, sends once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from messaging.announcements.models import Announcement, Audience, Dismissal
from messaging.discussions.emails import send_to_member
from messaging.discussions.models import MailKind, NotificationKind
from messaging.discussions.notifications import notify
from network import audit, markdown
from network.mail import absolute
from network.models import Cohort, Member, Program


def audience_members(announcement: Announcement) -> QuerySet[Member]:
    """The active members the announcement is addressed to, as of now."""
    members = Member.objects.active()
    if announcement.audience == Audience.COHORT:
        return members.filter(memberships__cohort=announcement.cohort_id).distinct()
    if announcement.audience == Audience.PROGRAM:
        return members.filter(memberships__cohort__program=announcement.program_id).distinct()
    return members


def _deliver(announcement: Announcement, recipients: QuerySet[Member]) -> int:
    """The bell now, and after commit an e-mail to each member who takes announcements (their
    "announcements" setting, not their replies-and-mentions one). Returns the number told."""
    created = notify(
        recipients=recipients,
        kind=NotificationKind.ANNOUNCEMENT,
        summary=f"Announcement: {announcement.title}",
        url=reverse("announcements:detail", args=[announcement.pk]),
        actor=announcement.author,
        email=False,
    )
    member_ids = [note.recipient_id for note in created]
    if member_ids:
        from messaging.announcements.tasks import email_announcement

        announcement_id = announcement.pk
        transaction.on_commit(lambda: email_announcement.delay(announcement_id, member_ids))
    return len(created)


def email_announcement(*, announcement_id: int, member_ids: list[int]) -> int:
    """One e-mail per member, never twice (a re-delivered task finds them sent); a withdrawn
    announcement is not mailed. Returns how many went."""
    announcement = Announcement.objects.filter(pk=announcement_id, withdrawn_at__isnull=True)
    found = announcement.select_related("author").first()
    if found is None:
        return 0
    url = absolute(reverse("announcements:detail", args=[found.pk]))
    sent = 0
    for member in Member.objects.select_related("user").filter(pk__in=member_ids):
        sent += send_to_member(
            member=member,
            kind=MailKind.ANNOUNCEMENTS,
            subject=f"Announcement: {found.title}",
            template="message",
            context={
                "heading": found.title,
                "paragraphs": [f"{found.author.name if found.author else 'Your network'} writes:"],
                "body_html": found.body_html,
                "body_text": found.body,
                "action_url": url,
                "action_label": "Read it on the site",
            },
            once_key=f"announcement:{found.pk}:{member.pk}",
        )
    return sent


def create_announcement(
    *,
    author: Member,
    audience: str,
    cohort: Cohort | None = None,
    program: Program | None = None,
    title: str,
    body: str,
    send_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> Announcement:
    """Stores the announcement, sanitised; sends it now unless ``send_at`` is in the future."""
    now = timezone.now()
    announcement = Announcement.objects.create(
        audience=audience,
        cohort=cohort if audience == Audience.COHORT else None,
        program=program if audience == Audience.PROGRAM else None,
        author=author,
        title=title,
        body=body,
        body_html=markdown.render(body),
        send_at=max(send_at or now, now),
    )
    if announcement.send_at > now:
        audit.record(
            "announcement_scheduled",
            actor=author.user,
            request=request,
            target=announcement,
            audience=announcement.audience_label,
            send_at=announcement.send_at.isoformat(),
        )
    else:
        send_announcement(announcement_id=announcement.pk)
    return announcement


@transaction.atomic
def send_announcement(*, announcement_id: int) -> bool:
    """Sends it once (False if it was already sent or withdrawn); audited with its audience."""
    announcement = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("cohort", "program", "author__user")
        .get(pk=announcement_id)
    )
    if announcement.sent_at is not None or announcement.withdrawn_at is not None:
        return False
    announcement.sent_at = timezone.now()
    announcement.recipient_count = _deliver(announcement, audience_members(announcement))
    announcement.save(update_fields=["sent_at", "recipient_count"])
    audit.record(
        "announcement_sent",
        actor=announcement.author.user if announcement.author else None,
        target=announcement,
        announcement=announcement.pk,
        title=announcement.title,
        audience=announcement.audience_label,
        recipients=announcement.recipient_count,
    )
    return True


def send_due_announcements(*, now: datetime | None = None) -> int:
    """Sends every scheduled announcement whose time has come (beat runs this each minute)."""
    due = Announcement.objects.filter(
        sent_at__isnull=True, withdrawn_at__isnull=True, send_at__lte=now or timezone.now()
    ).values_list("pk", flat=True)
    return sum(send_announcement(announcement_id=pk) for pk in list(due))


@transaction.atomic
def edit_announcement(
    *,
    announcement: Announcement,
    editor: Member,
    title: str,
    body: str,
    send_at: datetime | None = None,
    request: HttpRequest | None = None,
) -> Announcement:
    """Changes the text (and, before it goes out, the time); a sent one is marked edited.

    Nobody is notified again: the home page and the announcement's page show the new text.
    """
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    announcement.title, announcement.body = title, body
    announcement.body_html = markdown.render(body)
    fields = ["title", "body", "body_html"]
    if announcement.sent_at is not None:
        announcement.edited_at = timezone.now()
        fields.append("edited_at")
    elif send_at is not None:
        announcement.send_at = max(send_at, timezone.now())
        fields.append("send_at")
    announcement.save(update_fields=fields)
    audit.record(
        "announcement_edited",
        actor=editor.user,
        request=request,
        target=announcement,
        announcement=announcement.pk,
        title=title,
    )
    return announcement


@transaction.atomic
def withdraw_announcement(
    *, announcement: Announcement, actor: Member, request: HttpRequest | None = None
) -> Announcement:
    """Takes it off every home page (and cancels it if it has not gone out yet)."""
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.withdrawn_at is None:
        announcement.withdrawn_at = timezone.now()
        announcement.save(update_fields=["withdrawn_at"])
        audit.record(
            "announcement_withdrawn",
            actor=actor.user,
            request=request,
            target=announcement,
            announcement=announcement.pk,
        )
    return announcement


def dismiss_announcement(*, announcement: Announcement, member: Member) -> None:
    """Puts the announcement away for this member; doing it twice changes nothing."""
    try:
        with transaction.atomic():
            Dismissal.objects.get_or_create(announcement=announcement, member=member)
    except IntegrityError:  # a second tab dismissed it at the same moment
        pass
