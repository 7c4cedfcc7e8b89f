"""How every Convene e-mail is put together: a text part and an HTML part from templates, on
the shared layout (templates/email/layout.html), with the CSS inlined, a subject that cannot
break the headers, and optionally a calendar invitation in the layout Outlook and Google send.

Who gets what, and whether they want it, is decided elsewhere (messaging.discussions.emails for
members, network.tasks for invitations to people who are not members yet).
"""

from __future__ import annotations

import email.policy
import logging
import re
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage as MIMEMessage
from typing import Any

import css_inline
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend
from django.template.loader import render_to_string

from network.timezones import zone

log = logging.getLogger(__name__)

SUBJECT_LIMIT = 150
_INLINER = css_inline.CSSInliner(keep_style_tags=True)  # keeps the dark-mode media query
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


class _UnfoldedHeader(UnstructuredHeader):
    """A header written on one line as it is. Python folds a header longer than 78 characters
    and, when a single word is that long, RFC 2047-encodes it, which Gmail and Outlook are
    reported to ignore for List-Unsubscribe; RFC 5322 allows lines up to 998 characters."""

    name: str  # given by BaseHeader, which the registry mixes in

    def fold(self, *, policy: email.policy.Policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


_HEADERS = HeaderRegistry()
# typeshed wants a BaseHeader subclass; the registry itself mixes BaseHeader in.
_HEADERS.map_to_type("list-unsubscribe", _UnfoldedHeader)  # type: ignore[arg-type]


@dataclass(frozen=True)
class CalendarInvite:
    """An iTIP message: the .ics content and its METHOD (REQUEST or CANCEL)."""

    content: bytes
    method: str

    @property
    def filename(self) -> str:
        return "cancel.ics" if self.method == "CANCEL" else "invite.ics"


class ConveneEmail(EmailMultiAlternatives):
    """Django's message with the List-Unsubscribe header kept on one line, and a
    ``text/calendar; method=...`` alternative beside the text and HTML when there is one."""

    calendar: CalendarInvite | None = None

    def message(self, *, policy: email.policy.Policy | None = email.policy.default) -> MIMEMessage:
        if not isinstance(policy, email.policy.EmailPolicy):
            policy = email.policy.default  # only an EmailPolicy takes a header factory
        return super().message(policy=policy.clone(header_factory=_HEADERS))

    # Django's own step (private, so django-stubs leaves it out), extended with the invitation.
    def _add_bodies(self, msg: MIMEMessage) -> MIMEMessage:
        super()._add_bodies(msg)  # type: ignore[misc]
        if self.calendar is not None:
            msg.add_alternative(
                self.calendar.content.decode(),
                subtype="calendar",
                charset="utf-8",
                params={"method": self.calendar.method},
            )
        return msg


def safe_subject(text: str) -> str:
    """One line, whatever a title held: line breaks become spaces, runs of spaces shrink, and a
    very long title is cut with an ellipsis. Prefixed with the network's name."""
    line = " ".join(_LINE_BREAKS.sub(" ", text).split())
    if len(line) > SUBJECT_LIMIT:
        line = line[: SUBJECT_LIMIT - 1].rstrip() + "…"
    return f"[{settings.SITE_NAME}] {line}"


def absolute(path: str) -> str:
    """An address on the site, for links in e-mail."""
    return settings.SITE_URL.rstrip("/") + path


def render_html(template: str, context: dict[str, Any]) -> str:
    return _INLINER.inline(render_to_string(f"email/{template}.html", context))


def compose(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    calendar: CalendarInvite | None = None,
) -> ConveneEmail:
    """A multipart message from ``email/<template>.txt`` and ``email/<template>.html``.

    The context gains ``site_name``, ``site_url`` and ``subject``. A calendar invitation is
    added as a third alternative and, for clients that only look at attachments, as a file.
    """
    subject = safe_subject(subject)
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL.rstrip("/"),
        "subject": subject,
    }
    message = ConveneEmail(
        subject=subject,
        body=render_to_string(f"email/{template}.txt", context),
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_html(template, context), "text/html")
    if calendar is not None:
        message.calendar = calendar
        message.attach(calendar.filename, calendar.content, "application/ics")
    return message


def local_time(moment: datetime, zone_name: str | None) -> str:
    """A moment as the recipient reads it, zone named: "Tue, Dec 1, 2026, 9:05 AM EST"."""
    local = moment.astimezone(zone(zone_name))
    return f"{local:%a, %b %-d, %Y, %-I:%M %p} {local.tzname()}"


# A mail server that says "not now" ------------------------------------------------------------


class MailDeferred(Exception):
    """The mail server refused for now (a 4xx reply) or could not be reached: nothing was
    sent, and the same send later may succeed. Mail tasks retry on it (RETRY_DEFERRED)."""


def temporary(error: Exception) -> bool:
    """Whether an SMTP failure says "try again later": a 4xx reply (to the greeting, MAIL,
    RCPT or DATA) or no server to talk to. A 5xx reply (no such mailbox) is final."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return isinstance(error, (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError))


class DeferringSMTPBackend(EmailBackend):
    """Django's SMTP backend, raising MailDeferred when the server only refuses for now, so
    the task that sends retries with backoff instead of failing for good."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        try:
            return super().send_messages(email_messages)
        except (smtplib.SMTPException, OSError) as error:
            if not temporary(error):
                raise
            log.warning("mail server deferred a send, to be retried: %s", error)
            raise MailDeferred(str(error)) from error


# Options for every task that sends mail: on MailDeferred the task runs again after about
# MAIL_RETRY_FIRST_SECONDS, doubling up to MAIL_RETRY_MAX_SECONDS (with jitter, so a queue of
# mail does not come back at once), for MAIL_RETRY_TIMES tries (about two hours by default).
# Each task is safe to run again: what it sends is claimed in the transaction that sends it,
# and that transaction rolls back when the server refuses.
RETRY_DEFERRED = {
    "autoretry_for": (MailDeferred,),
    "retry_backoff": settings.MAIL_RETRY_FIRST_SECONDS,
    "retry_backoff_max": settings.MAIL_RETRY_MAX_SECONDS,
    "retry_jitter": True,
    "max_retries": settings.MAIL_RETRY_TIMES,
}
