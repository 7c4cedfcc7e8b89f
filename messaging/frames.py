"""Reading and checking the frames a chat client sends (docs/chat-protocol.md, "Errors").

Every field a handler uses is taken through one of these functions, so a field that is missing
or of the wrong kind is always ``bad_request``, and only a field of the right kind is judged on
its value (``empty_message``, ``message_too_long``, ``bad_client_id``).
"""

from __future__ import annotations

import json
from typing import Any

from messaging.models.chat import MAX_BODY

MAX_FRAME_BYTES = 64 * 1024
MAX_CLIENT_ID = 64
MAX_ROOMS = 500


class BadFrame(Exception):
    """A frame the server refuses; ``code`` and ``message`` go to the client."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def parse(text_data: str | None) -> dict[str, Any]:
    """The frame as a JSON object, or BadFrame (binary, too large, not JSON, not an object)."""
    if text_data is None:
        raise BadFrame("bad_request", "Frames are JSON text, not binary.")
    if len(text_data.encode()) > MAX_FRAME_BYTES:
        raise BadFrame("frame_too_large", f"Frames are limited to {MAX_FRAME_BYTES} bytes.")
    try:
        frame = json.loads(text_data)
    except ValueError:
        raise BadFrame("malformed", "The frame is not valid JSON.") from None
    if not isinstance(frame, dict):
        raise BadFrame("malformed", "A frame is a JSON object.")
    return frame


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def room_id(frame: dict) -> int:
    room = frame.get("room")
    if not _is_int(room):
        raise BadFrame("bad_request", "'room' must be a room id (an integer).")
    return room  # type: ignore[return-value]


def count(frame: dict, name: str, default: int | None = None) -> int:
    """A non-negative integer field (``since``, ``before``, ``limit``, ``seq``, ``id``)."""
    value = frame.get(name, default)
    if not _is_int(value) or value < 0:  # type: ignore[operator]
        raise BadFrame("bad_request", f"'{name}' must be a non-negative integer.")
    return value  # type: ignore[return-value]


def flag(frame: dict, name: str) -> bool:
    value = frame.get(name)
    if not isinstance(value, bool):
        raise BadFrame("bad_request", f"'{name}' must be true or false.")
    return value


def frame_type(frame: dict) -> str:
    """The frame's ``type``: a string (a list or object there once dropped the socket)."""
    kind = frame.get("type")
    if not isinstance(kind, str):
        raise BadFrame("bad_request", "'type' must be the frame type (a string).")
    return kind


def room_ids(frame: dict, *, at_least: int = 1) -> list[int]:
    """The ``rooms`` of a ``subscribe`` or ``unsubscribe``: a list of room ids (integers); a
    list or object among them once dropped the socket."""
    ids = frame.get("rooms")
    if (
        not isinstance(ids, list)
        or not at_least <= len(ids) <= MAX_ROOMS
        or not all(_is_int(room) for room in ids)
    ):
        raise BadFrame(
            "bad_request", f"'rooms' must be a list of {at_least} to {MAX_ROOMS} room ids."
        )
    return ids


def _no_nul(text: str, what: str, code: str) -> str:
    # PostgreSQL cannot store U+0000 in text (an unhandled DataError dropped the socket before);
    # the forms refuse it too.
    if "\x00" in text:
        raise BadFrame(code, f"{what} cannot contain the NUL character (U+0000).")
    return text


def body(frame: dict) -> str:
    """The text of a ``send`` or ``edit``: a string, not blank, at most MAX_BODY characters."""
    text = frame.get("body")
    if not isinstance(text, str):
        raise BadFrame("bad_request", "'body' must be the message text (a string).")
    if not text.strip():
        raise BadFrame("empty_message", "A message needs some text.")
    if len(text) > MAX_BODY:
        raise BadFrame("message_too_long", f"Messages are limited to {MAX_BODY} characters.")
    return _no_nul(text, "A message", "bad_request")


def client_id(frame: dict) -> str:
    """The sender's id for a ``send``: a string of 1 to 64 characters."""
    if "client_id" in frame and not isinstance(frame["client_id"], str):
        raise BadFrame("bad_request", "'client_id' must be a string.")
    value = frame.get("client_id")
    if not value or len(value) > MAX_CLIENT_ID:
        raise BadFrame(
            "bad_client_id", f"client_id must be a string of 1 to {MAX_CLIENT_ID} characters."
        )
    return _no_nul(value, "client_id", "bad_client_id")
