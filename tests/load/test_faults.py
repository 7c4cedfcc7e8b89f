"""Faults with real processes: Redis stopped and started mid-conversation, then one server
process killed. Every client still ends with every message exactly once, in order."""

from __future__ import annotations

import asyncio

import pytest

from messaging.models import Message
from tests.load.chat_client import ChatClient

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 6
SENDERS = 3
ROUND = 10  # messages per sender per phase


async def say(senders: list[ChatClient], phase: str) -> None:
    for n in range(ROUND):
        for sender in senders:
            await sender.send(f"{phase} {sender.name} {n}")
        await asyncio.sleep(0.02)


async def all_have(clients: list[ChatClient], count: int, timeout: float) -> None:
    await asyncio.gather(*(c.wait_for_last(count, timeout) for c in clients))


def test_no_message_lost_or_doubled_through_redis_restart_and_server_crash(
    crowd, servers, redis_control
):
    people = crowd(CLIENTS)
    one, two = servers(2)

    async def scenario() -> list[ChatClient]:
        clients = [
            ChatClient(
                [one.ws_url, two.ws_url] if n % 2 == 0 else [two.ws_url, one.ws_url],
                people.cookies[n],
                people.room,
                f"c{n}",
            ).start()
            for n in range(CLIENTS)
        ]
        senders = clients[:SENDERS]
        await asyncio.gather(*(asyncio.wait_for(c.connected.wait(), 10) for c in clients))

        await say(senders, "calm")
        await all_have(clients, SENDERS * ROUND, 20)

        redis_control.stop()
        await say(senders, "redis-down")
        await asyncio.sleep(1)
        redis_control.start()
        await say(senders, "redis-back")
        await all_have(clients, 3 * SENDERS * ROUND, 45)

        one.kill()
        await say(senders, "server-killed")
        for sender in senders:
            await sender.wait_for_acks(30)
        await all_have(clients, 4 * SENDERS * ROUND, 45)
        for client in clients:
            await client.stop()
        return clients

    clients = asyncio.run(scenario())
    total = 4 * SENDERS * ROUND
    assert Message.objects.count() == total
    for client in clients:
        assert client.delivered == list(range(1, total + 1)), client.name
    assert all(len(sender.acks) == 4 * ROUND for sender in clients[:SENDERS])
    assert any(client.connects > 1 for client in clients)  # the crash did disconnect people
