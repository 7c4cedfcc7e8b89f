"""ChatConsumer.dispatch replaces channels' own to skip one hop per message; these tests fail
when channels changes what that replacement relies on, so that it is looked at again."""

from __future__ import annotations

import hashlib
import inspect
from unittest import mock

import pytest
from channels.consumer import AsyncConsumer, get_handler_name

from messaging.consumers import ChatConsumer
from tests.messaging.conftest import signed_in

# channels 4.3's AsyncConsumer.dispatch: find the handler by get_handler_name, run
# aclose_old_connections() (the hop skipped here), await the handler, else ValueError.
CHANNELS_DISPATCH_SHA256 = "39f34e7d4fb0f6552de4ade665b943fe78137379702af6b58c79a14c49a75520"


def test_channels_dispatch_is_still_the_one_the_override_copies():
    source = inspect.getsource(AsyncConsumer.dispatch)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == CHANNELS_DISPATCH_SHA256, (
        "channels changed AsyncConsumer.dispatch: compare it with ChatConsumer.dispatch, "
        "update the override if needed, then this digest"
    )


def test_handler_names_are_still_the_type_with_dots_as_underscores():
    assert get_handler_name({"type": "chat.session_ended"}) == "chat_session_ended"
    assert get_handler_name({"type": "websocket.receive"}) == "websocket_receive"


def test_the_consumer_still_takes_messages_through_dispatch():
    """AsyncConsumer.__call__ hands every message (client and layer) to self.dispatch."""
    assert "self.dispatch" in inspect.getsource(AsyncConsumer.__call__)
    assert ChatConsumer.dispatch is not AsyncConsumer.dispatch


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_frames_and_wake_ups_skip_the_per_message_connection_cleanup(chat):
    with mock.patch("channels.consumer.aclose_old_connections", new=mock.AsyncMock()) as cleanup:
        ada = await signed_in(chat, "member", [chat.cohort_room])
        bo = await signed_in(chat, "mate", [chat.cohort_room])
        await ada.send(type="send", room=chat.cohort_room, client_id="d", body="hello")
        await ada.recv_type("ack")
        assert (await bo.recv_type("message"))["message"]["body"] == "hello"
        await ada.close()
        await bo.close()
    assert cleanup.call_count == 0
