"""Nudges: one click e-mails quiet members from the cohort's template; never twice in 14 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from messaging.announcements.tasks import send_nudge
from network.mail import MailDeferred
from network.models import AuditEntry, Nudge
from tests.load.smtp_sink import SmtpSink
from tests.network.test_mail_deferred import relay


def nudge(client, world, *members) -> None:
    client.post(
        reverse("network:nudge_send", args=[world.cohort.slug]),
        {"member": [m.pk for m in members]},
    )


def test_the_console_offers_to_nudge_quiet_members(world, story, client_for):
    page = client_for("manager").get(reverse("network:cohort_console", args=[world.cohort.slug]))
    html = page.content.decode()
    assert f'name="member" value="{story.hal.pk}" checked' in html
    assert "Send a friendly nudge" in html


def test_one_click_emails_each_quiet_member_from_the_template(
    world, story, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client_for("manager"), world, story.hal)
    (email,) = mail.outbox
    assert email.to == [story.hal.user.email]
    assert f"We miss you in {world.cohort.name}" in email.subject
    assert "Hello Hal Silent" in email.body and "Dee Manager" in email.body
    assert f"/cohorts/{world.cohort.slug}/" in email.body


def test_nobody_is_nudged_twice_within_14_days(
    world, story, client_for, django_capture_on_commit_callbacks
):
    client = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, world, story.hal)
        nudge(client, world, story.hal)
    assert len(mail.outbox) == 1
    Nudge.objects.update(created_at=timezone.now() - timedelta(days=15))
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, world, story.hal)
    assert len(mail.outbox) == 2


def test_active_members_and_other_cohorts_are_never_nudged(
    world, story, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client_for("manager"), world, story.ada, world.outsider)
    assert mail.outbox == [] and not Nudge.objects.exists()


def test_the_template_is_editable_and_cannot_reach_into_objects(
    world, story, client_for, django_capture_on_commit_callbacks
):
    client = client_for("manager")
    client.post(
        reverse("network:nudge_template", args=[world.cohort.slug]),
        {"subject": "Coffee, {name}?", "body": "{name.__class__} {manager} misses you. {link}"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client, world, story.hal)
    (email,) = mail.outbox
    assert "Coffee, Hal Silent?" in email.subject
    assert "\n{name.__class__} Dee Manager misses you." in email.body


def test_nudges_are_audited(world, story, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nudge(client_for("manager"), world, story.hal)
    entry = AuditEntry.objects.get(action="nudge_sent")
    assert entry.actor == world.manager.user
    assert entry.data == {"members": str(story.hal.pk), "count": "1"}


def test_members_cannot_nudge(world, story, client_for):
    response = client_for("member").post(
        reverse("network:nudge_send", args=[world.cohort.slug]), {"member": [story.hal.pk]}
    )
    assert response.status_code == 403 and not Nudge.objects.exists()


def test_a_nudge_the_relay_refuses_for_now_goes_once_when_it_accepts(
    world, story, client_for, settings
):
    nudge(client_for("manager"), world, story.hal)  # queued; the task has not run
    (queued,) = Nudge.objects.all()
    with SmtpSink() as sink:
        relay(settings, sink.port)
        sink.refusing.set()
        with pytest.raises(MailDeferred):
            send_nudge.run(queued.pk)
        queued.refresh_from_db()
        assert queued.sent_at is None  # still to send, not lost
        sink.refusing.clear()
        assert send_nudge.run(queued.pk) is True
        assert send_nudge.run(queued.pk) is False  # a task run again sends nothing
    assert [str(message["To"]) for message in sink.messages] == [story.hal.user.email]
    queued.refresh_from_db()
    assert queued.sent_at is not None
