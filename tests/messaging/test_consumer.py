"""The chat socket as a client sees it, through config.asgi.application."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from messaging.models import Message
from tests.messaging.conftest import open_socket, signed_in

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_anonymous_handshake_is_refused(chat):
    connected, _ = await open_socket(None)
    assert not connected


async def test_foreign_origin_is_refused(chat):
    connected, _ = await open_socket(
        chat.cookies["member"], origin=(b"origin", b"http://evil.example")
    )
    assert not connected


async def test_member_is_greeted_by_name(chat, world):
    connected, socket = await open_socket(chat.cookies["member"])
    assert connected
    hello = await socket.recv()
    assert hello["member"] == {"id": world.member.pk, "name": "Ada Member"}
    await socket.close()


async def test_another_cohorts_room_is_not_found_on_subscribe_and_send(chat):
    socket = await signed_in(chat, "member")
    await socket.send(type="subscribe", rooms=[chat.other_room])
    assert (await socket.recv())["rooms"] == []
    error = await socket.recv()
    assert (error["code"], error["room"]) == ("not_found", chat.other_room)
    await socket.send(type="send", room=chat.other_room, client_id="x1", body="hello?")
    assert (await socket.recv())["code"] == "not_found"
    assert await sync_to_async(Message.objects.count)() == 0
    await socket.close()


async def test_direct_conversation_is_private_to_its_two_members(chat):
    socket = await signed_in(chat, "outsider")
    await socket.send(type="replay", room=chat.direct_room, since=0)
    assert (await socket.recv())["code"] == "not_found"
    await socket.close()


async def test_message_reaches_the_room_with_its_number(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="c-1", body="Hello <b>all</b>")
    ack = await ada.recv_type("ack")
    assert (ack["seq"], ack["client_id"], ack["duplicate"]) == (1, "c-1", False)
    live = (await bo.recv_type("message"))["message"]
    assert (live["id"], live["seq"], live["body"]) == (ack["id"], 1, "Hello <b>all</b>")
    assert live["sender"]["name"] == "Ada Member"
    await ada.close()
    await bo.close()


async def test_resend_with_same_client_id_stores_once_and_gets_same_ack(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="same", body="once")
    first = await ada.recv_type("ack")
    await ada.send(type="send", room=chat.cohort_room, client_id="same", body="once")
    second = await ada.recv_type("ack")
    assert (second["id"], second["seq"], second["duplicate"]) == (first["id"], 1, True)
    assert await sync_to_async(Message.objects.count)() == 1
    await ada.close()


async def test_oversized_frame_and_long_message_get_errors_not_a_disconnect(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="big", body="x" * 70_000)
    assert (await ada.recv())["code"] == "frame_too_large"
    await ada.send(type="send", room=chat.cohort_room, client_id="long", body="x" * 4001)
    assert (await ada.recv())["code"] == "message_too_long"
    await ada.send(type="send", room=chat.cohort_room, client_id="ok", body="x" * 4000)
    assert (await ada.recv_type("ack"))["seq"] == 1
    await ada.close()


async def test_malformed_and_unknown_frames_get_errors(chat):
    ada = await signed_in(chat, "member")
    await ada.send_raw("{not json")
    assert (await ada.recv())["code"] == "malformed"
    await ada.send_raw("[1, 2]")
    assert (await ada.recv())["code"] == "malformed"
    await ada.send(type="dance", ref=7)
    error = await ada.recv()
    assert (error["code"], error["ref"]) == ("unknown_type", 7)
    await ada.send(type="send", room="one", client_id="a", body="b")
    assert (await ada.recv())["code"] == "bad_request"
    await ada.send(type="ping", ref="still-here")
    assert await ada.recv() == {"type": "pong", "ref": "still-here"}
    await ada.close()


async def test_eleventh_message_in_ten_seconds_is_refused_with_retry_after(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    for n in range(10):
        await ada.send(type="send", room=chat.cohort_room, client_id=f"r{n}", body=f"m{n}")
        await ada.recv_type("ack")
    await ada.send(type="send", room=chat.cohort_room, client_id="r10", body="too many")
    error = await ada.recv_type("error")
    assert error["code"] == "rate_limited"
    assert 0 < error["retry_after"] <= 10
    assert error["client_id"] == "r10"
    assert await sync_to_async(Message.objects.count)() == 10
    await ada.close()


async def test_only_the_author_may_edit_or_delete(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="e1", body="draft")
    message_id = (await ada.recv_type("ack"))["id"]
    # Bo sees the original first; across Redis it may arrive after Bo's own error frames.
    assert (await bo.recv_type("message"))["message"]["body"] == "draft"
    await bo.send(type="edit", room=chat.cohort_room, id=message_id, body="hijacked")
    assert (await bo.recv_type("error"))["code"] == "forbidden"
    await bo.send(type="delete", room=chat.cohort_room, id=message_id)
    assert (await bo.recv_type("error"))["code"] == "forbidden"

    await ada.send(type="edit", room=chat.cohort_room, id=message_id, body="final")
    assert (await ada.recv_type("ack"))["rev"] == 2
    edited = (await bo.recv_type("message"))["message"]
    assert (edited["body"], edited["edited"], edited["rev"]) == ("final", True, 2)
    await ada.send(type="delete", room=chat.cohort_room, id=message_id)
    await ada.recv_type("ack")
    tombstone = (await bo.recv_type("message"))["message"]
    assert (tombstone["deleted"], tombstone["body"], tombstone["seq"]) == (True, "", 1)
    await ada.close()
    await bo.close()


async def test_replay_after_a_gap_returns_each_change_once_in_order(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    ids = []
    for n in range(4):
        await ada.send(type="send", room=chat.cohort_room, client_id=f"g{n}", body=f"m{n}")
        ids.append((await ada.recv_type("ack"))["id"])
    await ada.send(type="edit", room=chat.cohort_room, id=ids[1], body="m1 fixed")
    await ada.recv_type("ack")

    # Bo saw up to #1, then was away: he gets #2 (edited), #3, #4, each once, by change order.
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    await bo.send(type="replay", room=chat.cohort_room, since=1)
    replay = await bo.recv_type("replay")
    assert [(m["seq"], m["body"]) for m in replay["messages"]] == [
        (3, "m2"),
        (4, "m3"),
        (2, "m1 fixed"),
    ]
    assert (replay["upto"], replay["more"]) == (5, False)
    await bo.send(type="replay", room=chat.cohort_room, since=5)
    assert (await bo.recv_type("replay"))["messages"] == []
    await ada.close()
    await bo.close()


async def test_history_pages_backwards(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    for n in range(5):
        await ada.send(type="send", room=chat.cohort_room, client_id=f"h{n}", body=f"m{n}")
        await ada.recv_type("ack")
    await ada.send(type="history", room=chat.cohort_room, before=5, limit=2)
    page = await ada.recv_type("history")
    assert ([m["seq"] for m in page["messages"]], page["more"]) == ([3, 4], True)
    await ada.send(type="history", room=chat.cohort_room, before=3, limit=5)
    page = await ada.recv_type("history")
    assert ([m["seq"] for m in page["messages"]], page["more"]) == ([1, 2], False)
    await ada.close()


async def test_read_marker_moves_forward_and_receipts_can_be_turned_off(chat, world):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    await ada.send(type="send", room=chat.cohort_room, client_id="r", body="read me")
    await ada.recv_type("ack")
    await bo.send(type="read", room=chat.cohort_room, seq=1)
    assert (await bo.recv_type("read"))["seq"] == 1
    receipt = await ada.recv_type("read")
    assert (receipt["member"], receipt["seq"]) == (world.mate.pk, 1)

    await bo.send(type="receipts", room=chat.cohort_room, enabled=False)
    await bo.recv_type("receipts")
    await ada.send(type="send", room=chat.cohort_room, client_id="r2", body="again")
    await ada.recv_type("ack")
    await bo.send(type="read", room=chat.cohort_room, seq=2)
    await bo.recv_type("read")
    frames = []
    while not await ada.silent(0.5):
        frames.append(await ada.recv())
    assert not [f for f in frames if f["type"] == "read"]
    await ada.close()
    await bo.close()


async def test_typing_and_presence_reach_others_and_presence_can_be_hidden(chat, world):
    ada = await signed_in(chat, "member", [chat.cohort_room])
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    online = await ada.recv_type("presence")
    assert (online["member"]["id"], online["online"]) == (world.mate.pk, True)
    await bo.send(type="typing", room=chat.cohort_room)
    typing = await ada.recv_type("typing")
    assert typing["member"]["name"] == "Bo Mate"

    await ada.send(type="presence", room=chat.cohort_room)
    here = await ada.recv_type("presence")
    assert here["member"]["id"] in {world.member.pk, world.mate.pk}

    await bo.send(type="presence", visible=False)
    gone = await ada.recv_type("presence")
    assert (gone["member"]["id"], gone["online"]) == (world.mate.pk, False)
    await ada.close()
    await bo.close()


async def test_signing_out_closes_the_socket(chat):
    ada = await signed_in(chat, "member", [chat.cohort_room])

    def sign_out() -> None:
        client = Client()
        client.cookies["sessionid"] = chat.cookies["member"]
        client.logout()

    await sync_to_async(sign_out)()
    output = await ada.io.receive_output(timeout=3)
    assert output["type"] == "websocket.close"


async def test_deactivated_member_is_disconnected_by_the_recheck(chat, world, settings):
    settings.CHAT_RECHECK_SECONDS = 0.2
    ada = await signed_in(chat, "member", [chat.cohort_room])
    world.member.user.is_active = False
    await sync_to_async(world.member.user.save)()
    while True:
        output = await ada.io.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break


async def test_recheck_wakes_a_client_whose_wake_up_was_lost(chat, world, settings):
    settings.CHAT_RECHECK_SECONDS = 0.2
    ada = await signed_in(chat, "member", [chat.cohort_room])

    def send_without_layer() -> None:
        from unittest import mock

        from messaging.services import chat as services

        with mock.patch.object(services, "_wake"):
            services.send_message(
                member=world.mate, room=world.cohort.chat_room, body="lost", client_id="l"
            )

    await sync_to_async(send_without_layer)()
    wake = await ada.recv_type("wake")
    assert (wake["room"], wake["last_seq"]) == (chat.cohort_room, 1)
    await ada.close()


async def test_leaving_the_cohort_drops_its_room_at_the_recheck(chat, world, settings):
    settings.CHAT_RECHECK_SECONDS = 0.2
    ada = await signed_in(chat, "member", [chat.cohort_room, chat.direct_room])

    def leave() -> None:
        world.cohort.memberships.filter(member=world.member).delete()

    await sync_to_async(leave)()
    error = await ada.recv_type("error")
    assert (error["code"], error["room"]) == ("not_found", chat.cohort_room)
    # The direct conversation is still hers: a message there still arrives.
    bo = await signed_in(chat, "mate", [chat.direct_room])
    await bo.send(type="send", room=chat.direct_room, client_id="d1", body="still here?")
    assert (await ada.recv_type("message"))["message"]["body"] == "still here?"
    await ada.close()
    await bo.close()


async def test_a_deleted_session_closes_only_its_own_socket(chat, world, settings):
    """Sessions ended without a logout (expired, or deleted by an administrator) are found by
    the re-check; another member's socket checked in the same batch stays open."""
    from django.contrib.sessions.models import Session

    settings.CHAT_RECHECK_SECONDS = 0.2
    ada = await signed_in(chat, "member", [chat.cohort_room])
    bo = await signed_in(chat, "mate", [chat.cohort_room])
    await sync_to_async(Session.objects.filter(session_key=chat.cookies["member"]).delete)()
    while (await ada.io.receive_output(timeout=3))["type"] != "websocket.close":
        pass
    await bo.send(type="ping", ref="alive")
    assert (await bo.recv_type("pong"))["ref"] == "alive"
    await bo.close()
