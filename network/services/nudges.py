"""Nudges: a friendly e-mail from a cohort's managers to members who have gone quiet.

Nobody is nudged twice within 14 days: the members chosen are locked, and only those who are
still quiet and have no nudge in the last 14 days get one, in the transaction that records it.
The e-mail is sent by a Celery task after commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from network import audit, console, signals
from network.models import Cohort, Member, Nudge, NudgeTemplate

PLACEHOLDERS = ("name", "cohort", "link", "manager")


def template_for(cohort: Cohort) -> NudgeTemplate:
    """The cohort's template, or the default one (unsaved) until a manager edits it."""
    return NudgeTemplate.objects.filter(cohort=cohort).first() or NudgeTemplate(cohort=cohort)


def save_template(
    *, cohort: Cohort, subject: str, body: str, actor, request: HttpRequest | None = None
) -> NudgeTemplate:
    """Stores the cohort's nudge e-mail."""
    template, _ = NudgeTemplate.objects.update_or_create(
        cohort=cohort, defaults={"subject": subject, "body": body, "updated_at": timezone.now()}
    )
    audit.record("nudge_template_saved", actor=actor, request=request, target=cohort)
    return template


def fill(text: str, values: dict[str, str]) -> str:
    """The template's {name}, {cohort}, {link} and {manager}, and nothing else: str.format
    would let a template reach into objects' attributes."""
    for key in PLACEHOLDERS:
        text = text.replace("{" + key + "}", values[key])
    return text


def nudge_members(
    *,
    cohort: Cohort,
    member_ids: list[int],
    sender: Member,
    request: HttpRequest | None = None,
) -> list[Nudge]:
    """Queues one nudge to each chosen member who is quiet and not nudged in 14 days."""
    template = template_for(cohort)
    link = settings.SITE_URL.rstrip("/") + reverse("network:cohort", args=[cohort.slug])
    with transaction.atomic():
        chosen = list(
            Member.objects.select_for_update()
            .filter(pk__in=member_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        quiet = {
            row["member"].pk: row["member"]
            for row in console.inactive_members([cohort.pk])
            if row["nudgeable"] and row["member"].pk in chosen
        }
        nudges = Nudge.objects.bulk_create(
            Nudge(member=m, cohort=cohort, sent_by=sender, **_text(template, m, link, sender))
            for m in quiet.values()
        )
        audit.record(
            "nudge_sent", actor=sender.user, request=request, target=cohort,
            members=",".join(str(pk) for pk in sorted(quiet)), count=len(nudges),
        )  # fmt: skip
        ids = [nudge.pk for nudge in nudges]
        transaction.on_commit(lambda: _queue(ids))
    return nudges


def _text(template: NudgeTemplate, member: Member, link: str, sender: Member) -> dict[str, str]:
    values = {"name": member.name, "cohort": template.cohort.name, "link": link,
              "manager": sender.name}  # fmt: skip
    return {"subject": fill(template.subject, values)[:200], "body": fill(template.body, values)}


def _queue(nudge_ids: list[int]) -> None:
    signals.nudges_queued.send(sender=Nudge, nudge_ids=nudge_ids)


def nudge_to_send(*, nudge_id: int) -> Nudge | None:
    """The nudge with its member, unless it went already."""
    return (
        Nudge.objects.select_related("member__user")
        .filter(pk=nudge_id, sent_at__isnull=True)
        .first()
    )


def mark_nudge_sent(*, nudge_id: int) -> None:
    """Records when the nudge went (the first time, should the task run again)."""
    Nudge.objects.filter(pk=nudge_id, sent_at__isnull=True).update(sent_at=timezone.now())
