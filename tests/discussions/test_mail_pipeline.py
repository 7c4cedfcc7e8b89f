"""One place turns a member's preferences into e-mail: multipart text and HTML on the shared
layout, times in the reader's zone, a plain-ASCII one-click unsubscribe that turns off exactly
one kind, subjects that a title cannot break, and one failing member never stops the rest."""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import services as events
from events import tasks as event_tasks
from messaging.discussions import emails, services
from messaging.discussions.models import (
    EmailFrequency,
    MailKind,
    Notification,
    NotificationKind,
    SentEmail,
)
from messaging.discussions.notifications import notify
from network.services import deactivate_account
from tests.events.builders import make_event
from tests.mail_checks import check_message, parts_of, raw_header


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


def test_a_reply_mail_has_text_and_html_on_the_layout_with_the_time_in_my_zone(
    world, thread, django_capture_on_commit_callbacks
):
    world.member.time_zone = "Asia/Kolkata"
    world.member.save(update_fields=["time_zone"])
    mail.outbox.clear()
    reply(thread, world.mate, "Shall we meet at the agency?", django_capture_on_commit_callbacks)
    (message,) = to(world.member)
    parsed = check_message(message)
    parts = parts_of(parsed)
    html = parts["text/html"].get_content()
    text = parts["text/plain"].get_content()
    assert "Shall we meet at the agency?" in html and "Shall we meet at the agency?" in text
    assert "Convene" in html and "prefers-color-scheme: dark" in html
    assert 'style="' in html  # CSS inlined for clients that drop <style>
    assert "<img" not in html  # nothing depends on images being shown
    assert " IST" in text and " IST" in html  # India Standard Time, named


def test_list_unsubscribe_stays_plain_ascii_even_with_a_long_site_address(
    world, thread, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://convene.leadership-networks.example.gov/some/long/prefix"
    mail.outbox.clear()
    reply(thread, world.mate, "hello", django_capture_on_commit_callbacks)
    (message,) = to(world.member)
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    line = raw_header(raw.replace(b"\r\n", b"\n"), "List-Unsubscribe")
    assert line.startswith(b"List-Unsubscribe: <https://convene.leadership-networks")
    assert b"=?" not in line and b"\n" not in line
    assert raw_header(raw.replace(b"\r\n", b"\n"), "List-Unsubscribe-Post") == (
        b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    )


def test_one_click_on_an_event_mail_turns_off_event_mail_only(
    world, client, thread, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.rsvp(event=event, member=world.member, going=True)
    (invitation,) = to(world.member)
    link = invitation.extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert client.post(path).status_code == 200  # no session, no CSRF token
    assert not emails.wants(world.member, MailKind.EVENTS)
    assert emails.wants(world.member, MailKind.DISCUSSIONS)
    assert emails.wants(world.member, MailKind.REMINDERS)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.rsvp(event=event, member=world.member, going=False)
    assert to(world.member) == []  # the event mail is off
    reply(thread, world.mate, "replies still come", django_capture_on_commit_callbacks)
    assert len(to(world.member)) == 1


def test_an_unsubscribe_token_for_one_member_and_kind_cannot_be_altered(world, client):
    token = emails.unsubscribe_token(world.member, MailKind.EVENTS)
    assert len(token) < 30
    forged = token.replace(".e.", ".d.")
    other = token.replace(f"{world.member.pk}.", f"{world.mate.pk}.", 1)
    for bad in (forged, other, "x", token + "a"):
        assert client.post(reverse("discussions:unsubscribe", args=[bad])).status_code == 404
    assert emails.frequency_of(world.member) == EmailFrequency.IMMEDIATE


def test_the_settings_page_saves_each_kind(world, client_for):
    client = client_for("member")
    page = client.get(reverse("discussions:preferences"))
    assert page.status_code == 200
    for label in ("Announcements", "Reminders", "Event invitations", "nudges"):
        assert label in page.content.decode()
    client.post(
        reverse("discussions:preferences"),
        {"frequency": "daily", "events": "on", "announcements": "on"},
    )
    prefs = emails.preferences_of(world.member)
    assert prefs.frequency == "daily" and prefs.events and prefs.announcements
    assert not prefs.reminders and not prefs.nudges


def test_defaults_take_everything_and_replies_at_once(world):
    for kind in MailKind.values:
        assert emails.wants(world.member, kind)
    assert emails.frequency_of(world.member) == EmailFrequency.IMMEDIATE


def test_send_to_member_honours_the_kind_and_sends_a_keyed_message_once(world):
    mail.outbox.clear()
    kwargs = {
        "member": world.member,
        "kind": MailKind.ANNOUNCEMENTS,
        "subject": "Spring gathering",
        "template": "notifications",
        "context": {"heading": "News", "items": []},
        "once_key": "announcement:1",
    }
    assert emails.send_to_member(**kwargs) is True
    assert emails.send_to_member(**kwargs) is False  # same key: a re-run sends nothing
    emails.turn_off(member=world.member, kind=MailKind.ANNOUNCEMENTS)
    assert emails.send_to_member(**(kwargs | {"once_key": "announcement:2"})) is False
    assert emails.send_to_member(**(kwargs | {"kind": MailKind.NUDGES, "once_key": None}))
    assert len(to(world.member)) == 2
    assert SentEmail.objects.filter(key="announcement:1").count() == 1


def test_a_line_break_in_a_title_never_reaches_the_headers(
    world, cohort_board, django_capture_on_commit_callbacks
):
    thread = services.start_thread(
        board=cohort_board, author=world.member, title="Budget\r\nBcc: evil@example.com", body="x"
    )
    event = make_event(world.cohort, title="Town hall\nBcc: evil@example.com")
    mail.outbox.clear()
    reply(thread, world.mate, "hi", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        events.rsvp(event=event, member=world.member, going=True)
    assert len(to(world.member)) == 2
    for message in to(world.member):
        raw = message.message().as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert parsed["Bcc"] is None and b"\nBcc:" not in raw.split(b"\n\n", 1)[0]
        assert "\n" not in str(parsed["Subject"])
        assert message.recipients() == [world.member.user.email]


def test_one_failing_member_does_not_stop_mail_to_the_others(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    people = [world.member, world.mate, world.manager]
    with django_capture_on_commit_callbacks(execute=False):
        notify(recipients=people, kind=NotificationKind.MENTION, summary="You were named", url="/")
    real = emails._compose_for

    def refusing(member, *args):
        if member.pk == world.mate.pk:
            raise ConnectionError("the mail server refused this address")
        return real(member, *args)

    monkeypatch.setattr(emails, "_compose_for", refusing)
    mail.outbox.clear()
    with caplog.at_level(logging.ERROR):
        assert emails.deliver_pending() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.member.user.email, world.manager.user.email]
    )
    assert f"member {world.mate.pk}" in caplog.text
    # The failed member's notification waits for the next minute; the others are marked.
    assert Notification.objects.get(recipient=world.mate).emailed_at is None
    assert Notification.objects.get(recipient=world.member).emailed_at is not None
    monkeypatch.setattr(emails, "_compose_for", real)
    assert emails.deliver_pending() == 1


def test_a_member_whose_mail_keeps_failing_is_dropped_from_e_mail_with_a_record(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notify(recipients=[world.mate], kind=NotificationKind.MENTION, summary="Named", url="/")

    def refusing(member, *args):
        raise ConnectionError("mailbox does not exist")

    monkeypatch.setattr(emails, "_compose_for", refusing)
    with caplog.at_level(logging.ERROR):
        for _ in range(emails.MAX_FAILURES - 1):
            emails.deliver_pending()
        assert Notification.objects.get(recipient=world.mate).emailed_at is None
        emails.deliver_pending()
    note = Notification.objects.get(recipient=world.mate)
    assert note.emailed_at is not None and note.read_at is None  # still under the bell
    assert "1 notifications dropped from e-mail" in caplog.text
    assert emails.members_with_pending_at_once() == []


def test_a_digest_leaves_out_what_the_member_already_read(
    world, thread, client_for, django_capture_on_commit_callbacks
):
    emails.set_frequency(member=world.member, frequency=EmailFrequency.DAILY)
    reply(thread, world.mate, "read on the site", django_capture_on_commit_callbacks)
    other = services.start_thread(board=thread.board, author=world.member, title="Two", body="y")
    reply(other, world.mate, "still unread", django_capture_on_commit_callbacks)
    client_for("member").get(reverse("discussions:thread", args=[thread.pk]))
    mail.outbox.clear()
    assert emails.send_due_digests(now=timezone.now() + timedelta(days=1)) == 1
    (digest,) = to(world.member)
    assert "still unread" in digest.body and "read on the site" not in digest.body


def test_a_deactivated_member_gets_no_mail_of_any_kind(
    world, thread, django_capture_on_commit_callbacks
):
    event = make_event(world.cohort, start=timezone.now() + timedelta(hours=3))
    events.rsvp(event=event, member=world.member, going=True)
    deactivate_account(member=world.member)
    mail.outbox.clear()
    reply(thread, world.mate, "anyone there?", django_capture_on_commit_callbacks)
    events.send_due_reminders()
    event_tasks.send_event_changed(event.pk)
    assert to(world.member) == []


def test_an_announcement_on_the_general_template_honours_the_setting(world):
    mail.outbox.clear()
    context = {
        "heading": "Spring gathering",
        "paragraphs": ["We meet on April 2."],
        "body_html": "<p>Bring <strong>one</strong> question.</p>",
        "body_text": "Bring one question.",
        "action_url": "https://convene.example.org/announcements/1/",
        "action_label": "Read the announcement",
    }
    sent = emails.send_to_member(
        member=world.member,
        kind=MailKind.ANNOUNCEMENTS,
        subject="Spring gathering",
        template="message",
        context=context,
        once_key="announcement:7:member",
    )
    assert sent
    (message,) = mail.outbox
    parts = parts_of(check_message(message))
    assert "<strong>one</strong>" in parts["text/html"].get_content()
    assert (
        "Bring one question." in message.body and "Read the announcement: https://" in message.body
    )
    assert "(announcements from your network)" in message.body
    emails.turn_off(member=world.member, kind=MailKind.ANNOUNCEMENTS)
    assert not emails.send_to_member(
        member=world.member,
        kind=MailKind.ANNOUNCEMENTS,
        subject="Another",
        template="message",
        context=context,
    )
