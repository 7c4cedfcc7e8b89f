"""E-mail per member preference: batched at once, digests at 7:00 local, off; never about
one's own posts; one-click unsubscribe; off the record never quoted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from messaging.discussions import emails, services
from messaging.discussions.models import EmailFrequency, EmailPreference
from messaging.discussions.tasks import send_pending_emails
from network.mail import MailDeferred
from tests.load.smtp_sink import SmtpSink
from tests.network.test_mail_deferred import relay


@pytest.fixture
def thread(world, cohort_board):
    return services.start_thread(
        board=cohort_board, author=world.member, title="Shared services", body="x"
    )


def reply(thread, author, body, capture):
    with capture(execute=True):
        return services.post_reply(thread=thread, author=author, body=body)


def to(member) -> list:
    return [m for m in mail.outbox if m.to == [member.user.email]]


def test_at_once_sends_one_email_per_thread_per_ten_minutes(
    world, thread, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    reply(thread, world.mate, "first reply words", django_capture_on_commit_callbacks)
    reply(thread, world.manager, "second reply words", django_capture_on_commit_callbacks)
    sent = to(world.member)
    assert len(sent) == 1 and "first reply words" in sent[0].body
    send_pending_emails()
    assert len(to(world.member)) == 1  # still inside the 10-minute window
    later = datetime.now(UTC) + timedelta(minutes=11)
    emails.deliver_at_once(member_id=world.member.pk, now=later)
    sent = to(world.member)
    assert len(sent) == 2 and "second reply words" in sent[1].body


def test_nobody_is_emailed_about_their_own_post(world, thread, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    reply(thread, world.member, "talking to myself", django_capture_on_commit_callbacks)
    assert to(world.member) == []


def test_off_the_record_is_never_quoted(
    world, off_record_board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thread = services.start_thread(
            board=off_record_board, author=world.member, title="Candid", body="x"
        )
    mail.outbox.clear()
    reply(thread, world.mate, "the secret sentence", django_capture_on_commit_callbacks)
    (message,) = to(world.member)
    assert "the secret sentence" not in message.body
    assert world.mate.name not in message.body and world.mate.name not in message.subject
    assert "/discussions/p/" in message.body


def test_every_email_has_one_click_unsubscribe(
    world, thread, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    reply(thread, world.mate, "hello", django_capture_on_commit_callbacks)
    (message,) = to(world.member)
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.post("/" + path).status_code == 200
    assert emails.frequency_of(world.member) == EmailFrequency.OFF
    mail.outbox.clear()
    reply(thread, world.mate, "again", django_capture_on_commit_callbacks)
    assert to(world.member) == []


def test_preferences_page_saves_the_choice(world, client_for):
    client = client_for("member")
    client.post(reverse("discussions:preferences"), {"frequency": "weekly"})
    assert emails.frequency_of(world.member) == EmailFrequency.WEEKLY


def test_daily_digest_goes_at_seven_local_and_holds_exactly_the_posts_since_the_last(
    world, thread, django_capture_on_commit_callbacks
):
    world.member.time_zone = "America/Los_Angeles"  # UTC-8 in December
    world.member.save(update_fields=["time_zone"])
    emails.set_frequency(member=world.member, frequency=EmailFrequency.DAILY)
    EmailPreference.objects.filter(member=world.member).update(
        last_digest_at=datetime(2026, 12, 1, 15, 0, 30, tzinfo=UTC)  # Dec 1, 7:00 local
    )
    mail.outbox.clear()
    reply(thread, world.mate, "alpha", django_capture_on_commit_callbacks)
    reply(thread, world.mate, "bravo", django_capture_on_commit_callbacks)
    assert to(world.member) == []  # not at once
    seven = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # Dec 2, 7:00 in Los Angeles
    assert emails.send_due_digests(now=seven - timedelta(minutes=1)) == 0
    assert emails.send_due_digests(now=seven + timedelta(minutes=1)) == 1
    assert emails.send_due_digests(now=seven + timedelta(minutes=16)) == 0  # once a day
    (digest,) = to(world.member)
    assert "Daily digest" in digest.subject
    assert "alpha" in digest.body and "bravo" in digest.body
    reply(thread, world.mate, "charlie", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert emails.send_due_digests(now=seven + timedelta(days=1, minutes=1)) == 1
    (next_digest,) = to(world.member)
    assert "charlie" in next_digest.body
    assert "alpha" not in next_digest.body and "bravo" not in next_digest.body


def test_weekly_digest_waits_for_monday(world):
    zone = emails.ZoneInfo("Europe/Paris")
    wednesday = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    moment = emails.last_digest_moment(EmailFrequency.WEEKLY, wednesday, zone)
    assert moment.weekday() == 0 and moment.hour == 7 and moment.day == 23


class RefusesAfterTheFirstMessage(SmtpSink):
    """A relay that takes one message, then answers "try again later" until told otherwise."""

    def keep(self, raw: bytes) -> None:
        super().keep(raw)
        if len(self.messages) == 1:
            self.refusing.set()


def test_at_once_mail_refused_midway_sends_the_rest_later_and_nothing_twice(
    world, cohort_board, settings
):
    for title in ("Shared services", "Hiring freeze"):
        started = services.start_thread(
            board=cohort_board, author=world.member, title=title, body="x"
        )
        services.post_reply(thread=started, author=world.mate, body=f"a reply on {title}")
    later = datetime.now(UTC) + timedelta(minutes=11)
    with RefusesAfterTheFirstMessage() as relay_server:
        relay(settings, relay_server.port)
        with pytest.raises(MailDeferred):
            emails.deliver_at_once(member_id=world.member.pk, now=later)
        relay_server.refusing.clear()
        assert emails.deliver_at_once(member_id=world.member.pk, now=later) == 1
        assert emails.deliver_at_once(member_id=world.member.pk, now=later) == 0
    subjects = sorted(str(message["Subject"]) for message in relay_server.messages)
    assert len(subjects) == 2 and len(set(subjects)) == 2, subjects
