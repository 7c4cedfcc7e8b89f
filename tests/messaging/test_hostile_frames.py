"""Generated hostile frames: whatever a client sends, the socket answers (or stays silent, for
best-effort frames) and stays open, and nothing outside the rules is stored."""

from __future__ import annotations

import json
import random

import pytest
from asgiref.sync import sync_to_async

from messaging.models import Message
from tests.messaging.conftest import signed_in

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

TYPES = [
    "subscribe", "unsubscribe", "send", "edit", "delete", "replay", "history", "read",
    "receipts", "typing", "presence", "ping", "rooms", "nope",
]  # fmt: skip
FIELDS = ["room", "rooms", "client_id", "body", "id", "since", "before", "limit", "seq",
          "enabled", "visible", "ref"]  # fmt: skip


def hostile_value(rng: random.Random, room: int) -> object:
    return rng.choice(
        [
            room,
            0,
            -1,
            2**63,
            2**70,
            1.5,
            True,
            None,
            "",
            " ",
            "\x00",
            "a\x00b",
            "line\r\nbreak",
            "\u202eevil",
            "<script>x</script>",
            "x" * 4001,
            [room],
            [room, "x", None, 2**70],
            [],
            {"a": 1},
        ]
    )


def valid_frame(kind: str, room: int, n: int) -> dict:
    """A frame of the kind that the server would accept, before one field is spoilt."""
    fields = {
        "subscribe": {"rooms": [room]},
        "unsubscribe": {"rooms": [room]},
        "send": {"room": room, "client_id": f"c{n}", "body": f"hello {n}"},
        "edit": {"room": room, "id": 1, "body": "edited"},
        "delete": {"room": room, "id": 1},
        "replay": {"room": room, "since": 0},
        "history": {"room": room, "before": 5, "limit": 10},
        "read": {"room": room, "seq": 1},
        "receipts": {"room": room, "enabled": True},
        "typing": {"room": room},
        "presence": {"room": room},
    }.get(kind, {})
    return {"type": kind, **fields}


async def test_generated_frames_never_close_the_socket_or_store_bad_text(chat, settings):
    settings.CHAT_SEND_RATE = (10_000, 1)
    rng = random.Random(2026)
    ada = await signed_in(chat, "member", [chat.cohort_room])
    for n in range(600):
        frame = valid_frame(rng.choice(TYPES), chat.cohort_room, n)
        own = [name for name in frame if name != "type"]
        for name in rng.sample(own or FIELDS, 1) + rng.sample(FIELDS, rng.randint(0, 1)):
            frame[name] = hostile_value(rng, chat.cohort_room)
        await ada.send_raw(json.dumps(frame))
        await ada.send(type="ping", ref=n)
        while True:  # every frame before the ping was handled without closing the socket
            answer = await ada.recv()
            if answer == {"type": "pong", "ref": n}:
                break
    bodies = await sync_to_async(lambda: list(Message.objects.values_list("body", flat=True)))()
    assert bodies and all("\x00" not in body and len(body) <= 4000 for body in bodies)
    await ada.close()
