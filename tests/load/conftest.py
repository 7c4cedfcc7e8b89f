"""Real processes: uvicorn servers on the test database and the wrapper's Redis, and members
signed in through session cookies made in the database."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import pytest
import redis
from django.db import connection

from messaging.services.chat import ensure_cohort_rooms
from tests.factories import CohortFactory, MemberFactory, MembershipFactory
from tests.load.servers import Server, database_url_of, server_env, wait_for_port
from tests.messaging.conftest import session_cookie

pytestmark = pytest.mark.django_db(transaction=True)
NO_PERSISTENCE = ["--save", "", "--appendonly", "no"]


@pytest.fixture(autouse=True)
def _needs_redis() -> None:
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: run through tests/services.py")


@dataclass
class Crowd:
    room: int
    cookies: list[str]
    member_ids: list[int]


def make_crowd(size: int) -> Crowd:
    cohort = CohortFactory(name="Load cohort")
    members = [MemberFactory() for _ in range(size)]
    for member in members:
        MembershipFactory(cohort=cohort, member=member)
    ensure_cohort_rooms(member=members[0])
    return Crowd(
        room=cohort.chat_room.pk,
        cookies=[session_cookie(m.user) for m in members],
        member_ids=[m.pk for m in members],
    )


@pytest.fixture
def crowd(transactional_db):
    return make_crowd


@pytest.fixture
def servers(transactional_db) -> Iterator:
    started: list[Server] = []

    def start(count: int, **env: str) -> list[Server]:
        extra = {"DJANGO_SETTINGS_MODULE": "tests.load.settings", **env}
        for _ in range(count):
            started.append(Server(server_env(database_url_of(connection.settings_dict), **extra)))
            started[-1].start()
        return started[-count:]

    yield start
    for server in started:
        server.stop()


class RedisControl:
    """Stop and start the wrapper's Redis on the same port (no persistence: it comes back
    empty, as after a crash)."""

    def __init__(self) -> None:
        self.url = os.environ["REDIS_URL"]
        self.port = urlparse(self.url).port
        self.binary = shlex.split(os.environ["CONVENE_REDIS_SERVER"])[0]
        self.process: subprocess.Popen | None = None

    def stop(self) -> None:
        # The connection drops as the server goes: that error is success.
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis.from_url(self.url).shutdown(nosave=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url).ping()
            except redis.ConnectionError:
                return
            time.sleep(0.05)
        raise RuntimeError("Redis did not stop")

    def start(self) -> None:
        # The wrapper removes any redis-server left on its port when the run ends.
        self.process = subprocess.Popen(
            [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), *NO_PERSISTENCE],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port)


@pytest.fixture
def redis_control() -> Iterator[RedisControl]:
    control = RedisControl()
    yield control
    try:
        redis.Redis.from_url(control.url).ping()
    except redis.ConnectionError:
        control.start()  # leave Redis up for the tests that follow
