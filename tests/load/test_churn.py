"""Churn: many messages in one room while a tenth of the clients keep dropping and coming
back. No client may end with a gap or a duplicate.

The issue asks for 10,000 messages among 50 clients. On the 2-core machines here (shared with
other test runs) the room takes roughly 20 messages a second through one room lock, so the
default is 1,000 messages (~50 s); CHAT_CHURN_MESSAGES=10000 runs the full one (passed in 8 min
on 28 Nov 2026).
"""

from __future__ import annotations

import asyncio
import os
import random

import pytest

from messaging.models import Message
from tests.load.chat_client import ChatClient

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = int(os.environ.get("CHAT_CHURN_MESSAGES", "1000"))
CLIENTS = 50
CHURNERS = CLIENTS // 10
SENDERS = 5
IN_FLIGHT = 25  # unacknowledged sends per sender


async def keep_sending(sender: ChatClient, count: int) -> None:
    for n in range(count):
        while len(sender.outbox) >= IN_FLIGHT:
            await asyncio.sleep(0.005)
        await sender.send(f"{sender.name} {n}")
    await sender.wait_for_acks(120)


async def keep_dropping(client: ChatClient, stop: asyncio.Event, rng: random.Random) -> None:
    while not stop.is_set():
        await asyncio.sleep(rng.uniform(0.1, 0.8))
        await client.drop()


def test_churning_clients_end_with_every_message_once_in_order(crowd, servers):
    people = crowd(CLIENTS)
    one, two = servers(2)
    rng = random.Random(6)

    async def scenario() -> list[ChatClient]:
        clients = [
            ChatClient([(one, two)[n % 2].ws_url], people.cookies[n], people.room, f"c{n}").start()
            for n in range(CLIENTS)
        ]
        await asyncio.gather(*(asyncio.wait_for(c.connected.wait(), 20) for c in clients))
        stop = asyncio.Event()
        churn = [asyncio.create_task(keep_dropping(c, stop, rng)) for c in clients[-CHURNERS:]]
        await asyncio.gather(*(keep_sending(s, MESSAGES // SENDERS) for s in clients[:SENDERS]))
        stop.set()
        await asyncio.gather(*churn)
        await asyncio.gather(*(c.wait_for_last(MESSAGES, 120) for c in clients))
        for client in clients:
            await client.stop()
        return clients

    clients = asyncio.run(scenario())
    assert Message.objects.count() == MESSAGES
    expected = list(range(1, MESSAGES + 1))
    for client in clients:
        assert client.delivered == expected, client.name
    assert min(c.connects for c in clients[-CHURNERS:]) > 2
