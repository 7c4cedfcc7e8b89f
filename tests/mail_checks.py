"""What every e-mail the suite sends must look like once serialised, read back with Python's
``email`` package as a mail client would: one-line subject, a text and an HTML part, a plain
ASCII one-click unsubscribe where there is one, and invitations in the layout Outlook and
Google send (text, HTML and text/calendar alternatives, plus the .ics file)."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage


def raw_header(raw: bytes, name: str) -> bytes | None:
    """The header line exactly as it travels (with any folded continuation lines)."""
    head = raw.split(b"\n\n", 1)[0]
    lines = head.split(b"\n")
    for index, line in enumerate(lines):
        if line.lower().startswith(name.lower().encode() + b":"):
            rest = [line]
            for more in lines[index + 1 :]:
                if more[:1] not in (b" ", b"\t"):
                    break
                rest.append(more)
            return b"\n".join(rest)
    return None


def parts_of(parsed: EmailMessage) -> dict[str, EmailMessage]:
    return {part.get_content_type(): part for part in parsed.walk()}


def check_message(message) -> EmailMessage:
    """Raises AssertionError naming what is wrong with one outgoing Django message."""
    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    subject = str(parsed["Subject"])
    assert subject and "\n" not in subject and "\r" not in subject, subject
    assert parsed["From"] and parsed["To"] and parsed["Message-ID"]
    parts = parts_of(parsed)
    assert "text/plain" in parts, f"no text part in {subject!r}"
    assert "text/html" in parts, f"no HTML part in {subject!r}"
    html = parts["text/html"].get_content()
    assert '<html lang="en"' in html and "color-scheme" in html, subject
    alternative = next(p for p in parsed.walk() if p.get_content_type() == "multipart/alternative")
    inside = [p.get_content_type() for p in alternative.iter_parts()]
    assert inside[:2] == ["text/plain", "text/html"], inside
    text = parts["text/plain"].get_content()
    if "/discussions/unsubscribe/" in text:
        line = raw_header(raw, "List-Unsubscribe")
        assert line is not None, f"no List-Unsubscribe in {subject!r}"
        assert line.startswith(b"List-Unsubscribe: <https://") or line.startswith(
            b"List-Unsubscribe: <http://"
        ), line
        assert b"=?" not in line and b"\n" not in line and line.isascii(), line
        assert str(parsed["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    if "text/calendar" in parts:
        calendar = parts["text/calendar"]
        assert calendar.get_param("method") in ("REQUEST", "CANCEL"), subject
        assert "text/calendar" in inside, "the calendar must be an alternative, not only a file"
        assert parsed.get_content_type() == "multipart/mixed"
        assert "application/ics" in parts
    return parsed
