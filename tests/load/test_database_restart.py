"""PostgreSQL stopped and started again under a real server process: pages say "back in a
moment" (503, no traceback) while it is down and come back without restarting Convene; a chat
send made in the gap is answered with an `unavailable` error naming its client_id, the socket
stays open, the resend is stored exactly once, and every client ends with every message once,
in order. (The longer drills against `make prod-local` are in
tests/load/drills.py.)"""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from messaging.models import Message
from tests.load.chat_client import ChatClient
from tests.services import as_postgres_user, postgres_bindir

pytestmark = pytest.mark.django_db(transaction=True)


class Postgres:
    """The wrapper's PostgreSQL, stopped and started with the options it was started with."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            self.data = Path(cursor.fetchone()[0])
        opts = shlex.split((self.data / "postmaster.opts").read_text())
        self.options = shlex.join(a for a in opts[1:] if a not in ("-D", str(self.data)))
        self.pg_ctl = str(postgres_bindir() / "pg_ctl")

    def stop(self) -> None:
        command = [self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"]
        subprocess.run(as_postgres_user(command), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        log = str(self.data.parent / "pg.log")
        command = [self.pg_ctl, "-D", str(self.data), "-o", self.options, "-l", log, "-w", "start"]
        subprocess.run(as_postgres_user(command), check=True, stdout=subprocess.DEVNULL)


def page(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookie}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_pages_503_then_recover_and_chat_sends_in_the_gap_are_refused_then_stored_once(
    crowd, servers
):
    people = crowd(3)
    (server,) = servers(1, DEBUG="false")  # the page a member would see, not the debug one
    postgres = Postgres()
    home = server.url + "/"
    assert page(home, people.cookies[0])[0] == 200

    async def scenario() -> tuple[list[ChatClient], list[tuple[int, str]], float]:
        clients = [
            ChatClient([server.ws_url], cookie, people.room, f"c{n}").start()
            for n, cookie in enumerate(people.cookies)
        ]
        await asyncio.gather(*(asyncio.wait_for(c.connected.wait(), 10) for c in clients))
        sender = clients[0]
        for n in range(5):
            await sender.send(f"before {n}")
        await sender.wait_for_acks(10)

        postgres.stop()
        down = [await asyncio.to_thread(page, home, people.cookies[1]) for _ in range(3)]
        gap = [await sender.send(f"while down {n}") for n in range(5)]
        refused = await sender.wait_for_frame("error", 10, code="unavailable", client_id=gap[-1])
        assert refused["retry_after"] > 0
        await asyncio.sleep(1)
        postgres.start()
        back = time.monotonic()
        while (await asyncio.to_thread(page, home, people.cookies[1]))[0] != 200:
            assert time.monotonic() - back < 30, "pages did not come back"
            await asyncio.sleep(0.2)
        recovered = time.monotonic() - back

        for n in range(5):
            await sender.send(f"after {n}")
        await sender.wait_for_acks(30)
        await asyncio.gather(*(c.wait_for_last(15, 30) for c in clients))
        for client in clients:
            await client.stop()
        return clients, down, recovered, gap

    connection.close()  # this process's own connection would not survive the restart
    clients, down, recovered, gap = asyncio.run(scenario())
    for status, text in down:
        assert status == 503
        assert "back in a moment" in text and "Traceback" not in text
    assert recovered < 30
    assert Message.objects.count() == 15
    assert len(clients[0].acks) == 15
    assert Message.objects.filter(client_id__in=gap).count() == 5
    refused = {f.get("client_id") for f in clients[0].frames if f.get("code") == "unavailable"}
    assert set(gap) <= refused
    assert [client.connects for client in clients] == [1, 1, 1], "a socket was closed"
    for client in clients:
        assert client.delivered == list(range(1, 16)), client.name
