"""The socket does what docs/chat-protocol.md says, rule by rule, as a client would check it."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async

from messaging.models import Message
from tests.messaging.conftest import signed_in

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


# "An error never closes the socket. `room`, `ref` and `client_id` are included when known."
@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"body": ""}, "empty_message"),
        ({"body": "   "}, "empty_message"),
        ({"body": "x" * 4001}, "message_too_long"),
        ({"body": 5}, "bad_request"),
        ({"body": None}, "bad_request"),
        ({"body": ["hi"]}, "bad_request"),
        ({"body": "hi", "client_id": "x" * 65}, "bad_client_id"),
        ({"body": "hi", "room": "one"}, "bad_request"),
        ({"body": "hi\x00there"}, "bad_request"),
    ],
)
async def test_every_error_answering_a_send_carries_its_client_id(chat, frame, code):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    send = {"room": chat.cohort_room, "client_id": "c-1", "ref": 9, **frame}
    await ada.send(type="send", **send)
    error = await ada.recv_type("error")
    assert (error["code"], error["client_id"], error["ref"]) == (code, send["client_id"], 9)
    await ada.send(type="ping", ref="open")
    assert (await ada.recv_type("pong"))["ref"] == "open"
    assert await sync_to_async(Message.objects.count)() == 0
    await ada.close()


async def test_a_send_to_a_room_the_member_is_not_in_names_its_client_id(chat):
    ada = await signed_in(chat, "member")
    await ada.send(type="send", room=chat.other_room, client_id="lost-1", body="hello?")
    error = await ada.recv_type("error")
    assert (error["code"], error["room"], error["client_id"]) == (
        "not_found",
        chat.other_room,
        "lost-1",
    )
    await ada.close()


async def test_a_send_without_client_id_is_bad_client_id_and_one_of_the_wrong_kind_bad_request(
    chat,
):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, body="hi")
    assert (await ada.recv_type("error"))["code"] == "bad_client_id"
    await ada.send(type="send", room=chat.cohort_room, client_id=7, body="hi")
    error = await ada.recv_type("error")
    assert (error["code"], error["client_id"]) == ("bad_request", 7)
    await ada.close()


async def test_an_edit_without_a_body_or_of_the_wrong_kind_is_bad_request(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="e", body="draft")
    message_id = (await ada.recv_type("ack"))["id"]
    for frame in ({}, {"body": 5}, {"body": {"text": "x"}}):
        await ada.send(type="edit", room=chat.cohort_room, id=message_id, **frame)
        assert (await ada.recv_type("error"))["code"] == "bad_request"
    await ada.send(type="edit", room=chat.cohort_room, id=message_id, body=" ")
    assert (await ada.recv_type("error"))["code"] == "empty_message"
    await ada.send(type="edit", room=chat.cohort_room, id="412", body="x")
    assert (await ada.recv_type("error"))["code"] == "bad_request"
    body = await sync_to_async(lambda: Message.objects.get().body)()
    assert body == "draft"
    await ada.close()


async def test_a_nul_character_is_refused_with_an_error_and_the_socket_stays_open(chat):
    """PostgreSQL cannot store U+0000: it raised an unhandled DataError that dropped the socket."""
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="n\x00ul", body="hi")
    assert (await ada.recv_type("error"))["code"] == "bad_client_id"
    await ada.send(type="send", room=chat.cohort_room, client_id="ok", body="fine")
    message_id = (await ada.recv_type("ack"))["id"]
    await ada.send(type="edit", room=chat.cohort_room, id=message_id, body="bad\x00edit")
    assert (await ada.recv_type("error"))["code"] == "bad_request"
    body = await sync_to_async(lambda: Message.objects.get().body)()
    assert body == "fine"
    await ada.close()


async def test_replay_beyond_the_rooms_counter_answers_with_the_counter(chat):
    """`upto` is the room's counter: answering `upto = since` made a confused client drop the
    room's next messages as duplicates."""
    ada = await signed_in(chat, "member", [chat.cohort_room])
    for n in range(3):
        await ada.send(type="send", room=chat.cohort_room, client_id=f"u{n}", body=f"m{n}")
        await ada.recv_type("ack")
    await ada.send(type="replay", room=chat.cohort_room, since=40)
    replay = await ada.recv_type("replay")
    assert (replay["since"], replay["upto"], replay["messages"]) == (40, 3, [])
    await ada.close()


async def test_subscribe_gives_each_room_its_number_and_read_marker(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="s", body="one")
    await ada.recv_type("ack")
    bo = await signed_in(chat, "mate")
    await bo.send(type="read", room=chat.cohort_room, seq=1)
    await bo.recv_type("read")
    await bo.send(type="subscribe", rooms=[chat.cohort_room, chat.other_room], ref="s")
    subscribed = await bo.recv_type("subscribed")
    assert subscribed["ref"] == "s"
    assert subscribed["rooms"] == [{"id": chat.cohort_room, "last_seq": 1, "last_read_seq": 1}]
    error = await bo.recv_type("error")
    assert (error["code"], error["room"]) == ("not_found", chat.other_room)
    await ada.close()
    await bo.close()


async def test_rooms_lists_every_room_of_the_member_and_no_other(chat):
    ada = await signed_in(chat, "member")
    await ada.send(type="rooms")
    rooms = {room["id"]: room["kind"] for room in (await ada.recv_type("rooms"))["rooms"]}
    assert rooms == {chat.cohort_room: "cohort", chat.direct_room: "direct"}
    await ada.close()
