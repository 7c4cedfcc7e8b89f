"""Chat test helpers: signed-in sockets against the real ASGI application."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from channels.testing import WebsocketCommunicator
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from config.asgi import application
from messaging.services.chat import ensure_cohort_rooms, start_direct
from tests.conftest import sign_in

ORIGIN = (b"origin", b"http://localhost")


def session_cookie(user) -> str:
    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(params=["redis", "memory"])
def layer(request, settings):
    """Run each consumer test on real Redis (when the wrapper gives one) and in memory."""
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    elif not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set: run through tests/services.py")
    cache.clear()
    return request.param


@dataclass
class Chat:
    cohort_room: int
    other_room: int
    direct_room: int
    cookies: dict[str, str]


@pytest.fixture
def chat(world, layer) -> Chat:
    for role in ("member", "mate", "outsider"):
        ensure_cohort_rooms(member=getattr(world, role))
    direct = start_direct(member=world.member, other=world.mate)
    return Chat(
        cohort_room=world.cohort.chat_room.pk,
        other_room=world.other_cohort.chat_room.pk,
        direct_room=direct.pk,
        cookies={
            role: session_cookie(world.user_for(role))
            for role in ("member", "mate", "outsider", "admin")
        },
    )


class Socket:
    """A connected communicator that speaks JSON frames."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.io = communicator

    async def send(self, **frame) -> None:
        await self.io.send_to(text_data=json.dumps(frame))

    async def send_raw(self, text: str) -> None:
        await self.io.send_to(text_data=text)

    async def recv(self, timeout: float = 10) -> dict:
        return json.loads(await self.io.receive_from(timeout=timeout))

    async def recv_type(self, kind: str, timeout: float = 10) -> dict:
        """The next frame of a kind, skipping best-effort ones (presence, typing, read)."""
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == kind:
                return frame

    async def silent(self, timeout: float = 0.3) -> bool:
        return await self.io.receive_nothing(timeout=timeout)

    async def close(self) -> None:
        await self.io.disconnect()


async def open_socket(cookie: str | None = None, origin: tuple = ORIGIN):
    headers = [origin]
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    return connected, Socket(communicator)


async def signed_in(chat: Chat, role: str, rooms: list[int] | None = None) -> Socket:
    connected, socket = await open_socket(chat.cookies[role])
    assert connected
    assert (await socket.recv())["type"] == "hello"
    if rooms:
        await socket.send(type="subscribe", rooms=rooms)
        await socket.recv_type("subscribed")
    return socket


def row_counts() -> dict[str, int]:
    """How many rows each table of Convene's apps holds: a GET must leave them all as they were."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"network", "messaging", "discussions", "events"}
    }


def signed_in_clients(world, *roles: str) -> list[Client]:
    """A client per role, signed in beforehand (signing in is audited: a row of its own)."""
    clients = []
    for role in roles:
        client = Client()
        client.force_login(world.user_for(role))
        clients.append(client)
    return clients
