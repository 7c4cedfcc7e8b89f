"""Every frame type of the chat protocol (docs/chat-protocol.md), with generated hostile fields
(issue 12, item 14).

One socket per frame type, signed in as the member, through config.asgi.application. After
each generated frame a ping must still be answered (the socket is never dropped), a frame that
asks for an answer gets its answer or an ``error``, no frame carries the other cohort's text,
and the database holds nothing the member may not write: no message in another cohort's room,
no change to someone else's message, no body the protocol refuses.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from messaging.models import Message
from messaging.services.chat import ensure_cohort_rooms, send_message, start_direct
from tests.messaging.conftest import Socket, open_socket, session_cookie
from tests.security.hostile import HOSTILE_SETTINGS, INTS, SECRET, TEXT, assert_inert

pytestmark = pytest.mark.django_db(transaction=True)

ERROR_CODES = {
    "malformed", "frame_too_large", "unknown_type", "bad_request", "not_found", "forbidden",
    "deleted", "empty_message", "message_too_long", "bad_client_id", "rate_limited",
}  # fmt: skip
SCALARS = st.one_of(
    st.none(), st.booleans(), INTS, st.floats(), TEXT, st.sampled_from(["", "0", "1e400"])
)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@dataclass
class ChatScene:
    own_room: int
    other_room: int
    others_direct: int  # a conversation in the other cohort: not the member's
    own_message: int
    mates_message: int
    other_message: int
    cookie: str


def chat_scene(world) -> ChatScene:
    for role in ("member", "mate", "outsider", "manager"):
        ensure_cohort_rooms(member=getattr(world, role))
    own, other = world.cohort.chat_room, world.other_cohort.chat_room
    others_direct = start_direct(member=world.outsider, other=world.other_manager)
    sent = [
        send_message(member=who, room=room, body=body, client_id=f"scene-{n}")
        for n, (who, room, body) in enumerate(
            [
                (world.member, own, "Mine"),
                (world.mate, own, "Bo's"),
                (world.outsider, other, f"Chat {SECRET}"),
            ]
        )
    ]
    send_message(member=world.outsider, room=others_direct, body=f"DM {SECRET}", client_id="dm")
    return ChatScene(
        own_room=own.pk,
        other_room=other.pk,
        others_direct=others_direct.pk,
        own_message=sent[0].message.pk,
        mates_message=sent[1].message.pk,
        other_message=sent[2].message.pk,
        cookie=session_cookie(world.member.user),
    )


def room(scene: ChatScene) -> st.SearchStrategy:
    known = [scene.own_room, scene.own_room, scene.other_room, scene.others_direct, 0, -1]
    return st.one_of(st.sampled_from(known), st.sampled_from(known), ANY_JSON)


def message_id(scene: ChatScene) -> st.SearchStrategy:
    known = [scene.own_message, scene.mates_message, scene.other_message]
    return st.one_of(st.sampled_from(known), ANY_JSON)


def count() -> st.SearchStrategy:
    return st.one_of(st.integers(min_value=0, max_value=10_000), ANY_JSON)


def flag() -> st.SearchStrategy:
    return st.one_of(st.booleans(), st.booleans(), ANY_JSON)


def frames(kind: str, scene: ChatScene) -> st.SearchStrategy:
    """A frame of one type: its fields mostly of the right kind with hostile content,
    sometimes of any kind at all, sometimes missing, with stray fields."""
    fields: dict[str, st.SearchStrategy] = {
        "subscribe": {"rooms": st.one_of(st.lists(room(scene), max_size=5), ANY_JSON)},
        "unsubscribe": {"rooms": st.one_of(st.lists(room(scene), max_size=5), ANY_JSON)},
        "send": {"room": room(scene), "client_id": st.one_of(TEXT, ANY_JSON), "body": TEXT},
        "edit": {"room": room(scene), "id": message_id(scene), "body": TEXT},
        "delete": {"room": room(scene), "id": message_id(scene)},
        "replay": {"room": room(scene), "since": count()},
        "history": {"room": room(scene), "before": count(), "limit": count()},
        "read": {"room": room(scene), "seq": count()},
        "receipts": {"room": room(scene), "enabled": flag()},
        "typing": {"room": room(scene)},
        "presence": {"room": room(scene), "visible": flag()},
        "ping": {},
    }[kind]
    optional = {name: st.one_of(strategy, st.just(MISSING)) for name, strategy in fields.items()}
    return st.fixed_dictionaries(
        {"type": st.just(kind), **optional},
        optional={"ref": ANY_JSON, "extra": ANY_JSON, "text": ANY_JSON},
    ).map(lambda frame: {k: v for k, v in frame.items() if v is not MISSING})


MISSING = object()
# Frames the server answers directly (a reply or an error); the others may pass silently.
ANSWERS = {
    "subscribe": {"subscribed"},
    "send": {"ack"},
    "edit": {"ack"},
    "delete": {"ack"},
    "replay": {"replay"},
    "history": {"history"},
    "read": {"read"},
    "receipts": {"receipts"},
    "ping": {"pong"},
}


async def exchange(
    socket: Socket, frame: dict[str, Any] | str, probe: str, timeout: float = 10
) -> list[dict]:
    """Send the frame, then a ping; everything that came back up to the pong."""
    text = frame if isinstance(frame, str) else json.dumps(frame)
    await socket.send_raw(text)
    await socket.send(type="ping", ref=probe)
    answers = []
    while True:
        answer = await socket.recv(timeout=timeout)
        if answer == {"type": "pong", "ref": probe}:
            return answers
        answers.append(answer)


def assert_answered(kind: str, frame: dict, answers: list[dict]) -> None:
    for answer in answers:
        assert SECRET not in json.dumps(answer), answer
        if answer["type"] == "error":
            assert answer["code"] in ERROR_CODES, answer
    if isinstance(kind, str) and kind in ANSWERS:
        wanted = ANSWERS[kind] | {"error"}
        assert any(a["type"] in wanted for a in answers), (frame, answers)


def assert_nothing_out_of_reach(world, scene: ChatScene) -> None:
    bodies = dict(Message.objects.filter(pk__in=[scene.mates_message, scene.other_message])
                  .values_list("pk", "body"))  # fmt: skip
    assert bodies == {scene.mates_message: "Bo's", scene.other_message: f"Chat {SECRET}"}
    strangers = Message.objects.filter(room_id__in=[scene.other_room, scene.others_direct])
    assert not strangers.filter(sender=world.member).exists()
    for body in Message.objects.filter(sender=world.member).values_list("body", flat=True):
        assert "\x00" not in body and len(body) <= 4000


@pytest.fixture
def scene(world) -> ChatScene:
    return chat_scene(world)


@pytest.fixture
def socket_loop(scene) -> Iterator[tuple[asyncio.AbstractEventLoop, Socket]]:
    """One event loop and one signed-in socket for all of a test's examples."""
    loop = asyncio.new_event_loop()
    connected, socket = loop.run_until_complete(open_socket(scene.cookie))
    assert connected
    assert loop.run_until_complete(socket.recv())["type"] == "hello"
    yield loop, socket
    with contextlib.suppress(Exception):  # a broken socket fails its test, not the teardown
        loop.run_until_complete(socket.close())
    left = asyncio.all_tasks(loop)  # the consumers' re-check loop
    for task in left:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*left, return_exceptions=True))
    loop.close()


def drive(kind: str, world, scene: ChatScene, socket_loop) -> None:
    loop, socket = socket_loop
    probes = iter(range(1_000_000))

    @HOSTILE_SETTINGS
    @given(frame=frames(kind, scene))
    def one_frame(frame: dict) -> None:
        cache.clear()  # the send rate limit would answer every later send
        answers = loop.run_until_complete(exchange(socket, frame, f"probe-{next(probes)}"))
        assert_answered(kind, frame, answers)
        assert_nothing_out_of_reach(world, scene)

    one_frame()


KINDS = [
    "subscribe", "unsubscribe", "send", "edit", "delete", "replay", "history", "read",
    "receipts", "typing", "presence", "ping",
]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_frame_gets_an_answer_and_reaches_nothing_outside(kind, world, scene, socket_loop):
    drive(kind, world, scene, socket_loop)


def test_every_frame_type_of_the_protocol_is_driven():
    from messaging.consumers import ChatConsumer

    assert set(ChatConsumer.handlers) == set(KINDS)


RAW = st.one_of(
    TEXT.filter(bool),  # the test client cannot send an empty frame
    ANY_JSON.filter(lambda value: not isinstance(value, dict)).map(json.dumps),
    st.dictionaries(st.text(max_size=5), ANY_JSON, max_size=3).map(json.dumps),
    st.sampled_from(['{"type": null}', '{"type": 7}', '{"type": "SEND"}', "{" * 5000]),
    st.integers(min_value=65_537, max_value=200_000).map(lambda n: "x" * n),
)


@HOSTILE_SETTINGS
@example(raw='{"type": "ping", "ref": "\\ud800"}')
@given(raw=RAW)
def test_malformed_frames_get_an_error_and_keep_the_socket(raw, scene, socket_loop):
    loop, socket = socket_loop
    cache.clear()
    answers = loop.run_until_complete(exchange(socket, raw, "probe"))
    for answer in answers:
        assert answer["type"] in {"error", "pong"}, answer
        if answer["type"] == "error":
            assert answer["code"] in ERROR_CODES
    assert answers, raw


def test_chat_page_shows_hostile_messages_as_text(world, scene, client_for):
    """What the socket stored is shown to the room's other members escaped, never as markup."""
    for n, body in enumerate(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                              "[x](javascript:alert(1))", "\u202eevil", "a\r\nb"]):  # fmt: skip
        send_message(member=world.member, room=world.cohort.chat_room, body=body, client_id=f"h{n}")
    client = Client()
    client.force_login(world.mate.user)
    response = client.get(reverse("messaging:room", args=[scene.own_room]))
    assert response.status_code == 200
    assert_inert(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()


# Frames that once broke a socket (a NUL on PostgreSQL, a list or object where a name or a
# room id belongs): each must be answered and leave the socket open.
HUGE = 2**64
PROBES = [
    pytest.param(
        lambda s: {"type": "subscribe", "rooms": [s.own_room, {}]},
        id="subscribe-dict",
    ),
    pytest.param(
        lambda s: {"type": "subscribe", "rooms": [s.own_room, [1]]},
        id="subscribe-list",
    ),
    pytest.param(
        lambda s: {"type": "subscribe", "rooms": [HUGE, -HUGE, 1.5, "1", None, True]},
        id="subscribe-odd-ids",
    ),
    pytest.param(
        lambda s: {"type": "unsubscribe", "rooms": [{}, [s.own_room]]},
        id="unsubscribe-dict",
    ),
    pytest.param(lambda s: {"type": "unsubscribe", "rooms": {"a": 1}}, id="unsubscribe-object"),
    pytest.param(
        lambda s: {"type": "send", "room": s.own_room, "client_id": "n", "body": "a\x00b"},
        id="send-nul-body",
    ),
    pytest.param(
        lambda s: {"type": "send", "room": s.own_room, "client_id": "n\x00", "body": "ok"},
        id="send-nul-client-id",
    ),
    pytest.param(
        lambda s: {"type": "send", "room": HUGE, "client_id": "h", "body": "x"}, id="send-huge-room"
    ),
    pytest.param(
        lambda s: {"type": "send", "room": s.own_room, "client_id": "l", "body": "é" * 4000},
        id="send-4000-accents",
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.own_room, "id": s.own_message, "body": "a\x00b"},
        id="edit-nul-body",
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.own_room, "id": "1", "body": "x"}, id="edit-string-id"
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.own_room, "id": HUGE, "body": "x"}, id="edit-huge-id"
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.own_room, "id": 1.5, "body": "x"}, id="edit-float-id"
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.own_room, "id": s.mates_message, "body": "mine"},
        id="edit-mates-message",
    ),
    pytest.param(
        lambda s: {"type": "edit", "room": s.other_room, "id": s.other_message, "body": "x"},
        id="edit-other-cohort",
    ),
    pytest.param(
        lambda s: {"type": "delete", "room": s.own_room, "id": [s.mates_message]},
        id="delete-list-id",
    ),
    pytest.param(
        lambda s: {"type": "delete", "room": s.own_room, "id": {"id": s.own_message}},
        id="delete-object-id",
    ),
    pytest.param(
        lambda s: {"type": "replay", "room": s.own_room, "since": HUGE}, id="replay-huge-since"
    ),
    pytest.param(
        lambda s: {"type": "replay", "room": s.others_direct, "since": 0}, id="replay-others-direct"
    ),
    pytest.param(
        lambda s: {"type": "history", "room": s.own_room, "before": HUGE, "limit": HUGE},
        id="history-huge",
    ),
    pytest.param(
        lambda s: {"type": "history", "room": s.other_room, "before": 100},
        id="history-other-cohort",
    ),
    pytest.param(lambda s: {"type": "read", "room": s.own_room, "seq": HUGE}, id="read-huge-seq"),
    pytest.param(
        lambda s: {"type": "receipts", "room": HUGE, "enabled": False}, id="receipts-huge-room"
    ),
    pytest.param(lambda s: {"type": "typing", "room": HUGE}, id="typing-huge-room"),
    pytest.param(lambda s: {"type": "presence", "visible": "yes"}, id="presence-string"),
    pytest.param(lambda s: {"type": "presence", "room": {}}, id="presence-object-room"),
    pytest.param(
        lambda s: {"type": "ping", "ref": {"deep": [[[[[[[[1]]]]]]]]}}, id="ping-deep-ref"
    ),
    pytest.param(lambda s: {"type": ["send"]}, id="type-list"),
    pytest.param(lambda s: {"type": {}}, id="type-object"),
]


@pytest.mark.parametrize("probe", PROBES)
def test_probe_frame_is_answered_and_keeps_the_socket(probe, world, scene, socket_loop):
    loop, socket = socket_loop
    frame = probe(scene)
    # A dropped socket shows within a second; the pending probes need not wait ten.
    answers = loop.run_until_complete(exchange(socket, frame, "probe", timeout=3))
    assert_answered(frame["type"], frame, answers)
    assert_nothing_out_of_reach(world, scene)
