"""The send rate: a sliding window shared by every tab and server, and what happens while
Redis is away (docs/chat-protocol.md, "Errors" and "While Redis is down")."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import channel_layers

from messaging.models import Message
from tests.messaging.conftest import signed_in

DEAD_REDIS = "redis://127.0.0.1:1/0"


def wait_until_just_before_a_second() -> None:
    """A fixed one-second window would restart on the next whole second."""
    while time.time() % 1 < 0.8:
        time.sleep(0.01)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_window_of_the_rate_lets_more_sends_through_than_the_limit(chat, settings):
    """A fixed window let twice the limit through across its boundary (20 sends in 7.5 s)."""
    settings.CHAT_SEND_RATE = (3, 1)
    ada = await signed_in(chat, "member", [chat.cohort_room])
    await sync_to_async(wait_until_just_before_a_second)()
    started = time.monotonic()
    for n in range(3):
        await ada.send(type="send", room=chat.cohort_room, client_id=f"w{n}", body=f"m{n}")
        await ada.recv_type("ack")
    await asyncio.sleep(max(0.0, 0.3 - (time.monotonic() - started)))  # across the second
    await ada.send(type="send", room=chat.cohort_room, client_id="w3", body="one too many")
    error = await ada.recv_type("error")
    assert (error["code"], error["client_id"]) == ("rate_limited", "w3")
    assert 0 < error["retry_after"] <= 1
    await asyncio.sleep(error["retry_after"] + 0.05)
    await ada.send(type="send", room=chat.cohort_room, client_id="w3", body="one too many")
    assert (await ada.recv_type("ack"))["seq"] == 4
    await ada.close()


@pytest.fixture
def redis_down(settings):
    """Cache, channel layer and the rate's Redis all unreachable."""
    settings.REDIS_URL = DEAD_REDIS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [DEAD_REDIS]},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_down_the_rate_is_counted_in_postgresql(world, redis_down):
    from messaging.consumers import send_counted
    from messaging.services.chat import ensure_cohort_rooms
    from messaging.throttle import RateLimited

    ensure_cohort_rooms(member=world.member)
    room = world.cohort.chat_room.pk
    for n in range(10):
        send_counted(world.member, room, f"m{n}", f"d{n}")
    with pytest.raises(RateLimited) as limited:
        send_counted(world.member, room, "too many", "d10")
    assert 0 < limited.value.retry_after <= 10
    assert Message.objects.count() == 10


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_down_each_send_logs_one_line(world, redis_down, caplog):
    from messaging.consumers import send_counted
    from messaging.services.chat import ensure_cohort_rooms

    ensure_cohort_rooms(member=world.member)
    room = world.cohort.chat_room.pk
    caplog.set_level(logging.INFO)
    for n in range(3):
        caplog.clear()
        ack = send_counted(world.member, room, f"m{n}", f"l{n}")
        assert ack["seq"] == n + 1
        lines = [r for r in caplog.records if r.levelno >= logging.INFO]
        assert len(lines) == 1, [r.getMessage() for r in lines]
        assert lines[0].exc_info is None and "\n" not in lines[0].getMessage()
