"""Two real uvicorn processes share one Redis: messages, typing and presence cross over."""

from __future__ import annotations

import asyncio

import pytest

from messaging.models import Message
from tests.load.chat_client import ChatClient

pytestmark = pytest.mark.django_db(transaction=True)


def test_messages_typing_and_presence_cross_between_processes(crowd, servers):
    people = crowd(2)
    one, two = servers(2)

    async def scenario() -> tuple[ChatClient, ChatClient]:
        ada = ChatClient([one.ws_url], people.cookies[0], people.room, "ada").start()
        await asyncio.wait_for(ada.connected.wait(), 10)
        bo = ChatClient([two.ws_url], people.cookies[1], people.room, "bo").start()
        await asyncio.wait_for(bo.connected.wait(), 10)
        # Bo subscribing on server two announced him to Ada on server one.
        await ada.wait_for_frame("presence", online=True)
        ada.frames.clear()
        await ada.raw({"type": "presence", "room": people.room})
        await ada.wait_for_frame("presence", online=True)

        await bo.raw({"type": "typing", "room": people.room})
        typing = await ada.wait_for_frame("typing")
        assert typing["member"]["id"] == people.member_ids[1]

        for n in range(10):
            await ada.send(f"from one {n}")
            await bo.send(f"from two {n}")
        await ada.wait_for_acks(10)
        await bo.wait_for_acks(10)
        await ada.wait_for_last(20, 10)
        await bo.wait_for_last(20, 10)
        await ada.stop()
        await bo.stop()
        return ada, bo

    ada, bo = asyncio.run(scenario())
    assert ada.delivered == bo.delivered == list(range(1, 21))
    assert Message.objects.count() == 20
