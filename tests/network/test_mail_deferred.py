"""A relay that refuses for now (4xx) or is not there defers a send, which the mail tasks retry;
a relay that refuses for good (5xx) fails it, as before. Against a real SMTP server on a
loopback port (tests/load/smtp_sink.py)."""

from __future__ import annotations

import smtplib

import pytest

from network.mail import MailDeferred, compose
from tests.load.smtp_sink import SmtpSink
from tests.services import free_port


def relay(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "network.mail.DeferringSMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }


def invitation_mail():
    return compose(to="ada@example.gov", subject="You are invited", template="message", context={})


def test_a_relay_that_answers_try_again_later_defers_the_send(settings):
    with SmtpSink() as sink:
        relay(settings, sink.port)
        sink.refusing.set()
        with pytest.raises(MailDeferred):
            invitation_mail().send()
        assert len(sink.refusals) == 1 and not sink.messages
        sink.refusing.clear()
        assert invitation_mail().send() == 1
        assert [str(m["To"]) for m in sink.messages] == ["ada@example.gov"]


def test_no_relay_listening_defers_the_send(settings):
    relay(settings, free_port())
    with pytest.raises(MailDeferred):
        invitation_mail().send()


def test_a_relay_that_refuses_for_good_fails_the_send(settings):
    with SmtpSink() as sink:
        relay(settings, sink.port)
        sink.refusal = "550 5.1.1 no such mailbox"
        sink.refusing.set()
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            invitation_mail().send()
