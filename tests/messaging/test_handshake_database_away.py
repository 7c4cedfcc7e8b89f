"""A chat socket's handshake while PostgreSQL is stopped: refused, like any handshake the
consumer refuses (the client tries again with its back-off), with one log line and no
traceback, although channels reads the session and the user before the consumer runs. Against
the test run's real PostgreSQL, stopped and started again."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from tests.load.test_database_restart import Postgres
from tests.messaging.conftest import open_socket, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cookie_then_database_stopped(world):
    cookie = session_cookie(world.member.user)
    postgres = Postgres()
    connection.close()  # this thread's connection would not survive the stop
    postgres.stop()
    try:
        yield cookie
    finally:
        postgres.start()
        connection.close()


async def test_a_handshake_while_the_database_is_stopped_is_refused_with_one_line(
    cookie_then_database_stopped, caplog
):
    caplog.set_level(logging.WARNING)
    connected, _ = await open_socket(cookie_then_database_stopped)
    assert not connected
    refused = [r for r in caplog.records if "database unreachable" in r.getMessage()]
    assert len(refused) == 1
    assert refused[0].exc_info is None and "\n" not in refused[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info]
