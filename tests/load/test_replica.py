"""The replica procedure of docs/deploy.md ("PostgreSQL and its replica"), run against the
test PostgreSQL: a streaming replica made with pg_basebackup receives each committed write and
refuses writes of its own, and once promoted it takes writes (what failing over does)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import MemberFactory
from tests.services import as_postgres_user, free_port, postgres_bindir

pytestmark = pytest.mark.django_db(transaction=True)


def run(*command: str) -> None:
    bindir = postgres_bindir()
    done = subprocess.run(
        as_postgres_user([str(bindir / command[0]), *command[1:]]), capture_output=True, text=True
    )
    log = Path(command[command.index("--log") + 1]) if "--log" in command else None
    assert done.returncode == 0, done.stderr + (log.read_text() if log and log.exists() else "")


def replica_url(port: int, name: str) -> str:
    return f"postgres://{connection.settings_dict['USER']}@127.0.0.1:{port}/{name}"


def seen_within(url: str, query: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with psycopg.connect(url) as replica:
            if replica.execute(query).fetchone() == (1,):
                return True
        time.sleep(0.1)
    return False


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A directory the postgres account can reach (pytest's own is private to root)."""
    with tempfile.TemporaryDirectory(prefix="convene-replica-") as name:
        if os.geteuid() == 0:
            shutil.chown(name, "postgres", "postgres")
        yield Path(name)


def test_a_streaming_replica_follows_the_primary_and_takes_writes_once_promoted(scratch: Path):
    primary = connection.settings_dict
    data, port = scratch / "replica", free_port()
    run(
        "pg_basebackup", "--pgdata", str(data), "--write-recovery-conf", "--wal-method",
        "stream", "--checkpoint", "fast", "--host", primary["HOST"], "--port",
        str(primary["PORT"]), "--username", primary["USER"],
    )  # fmt: skip
    with connection.cursor() as cursor:  # a hot standby needs at least the primary's
        cursor.execute("SHOW max_connections")
        (most,) = cursor.fetchone()
    options = f"-p {port} -k {scratch} -c listen_addresses=127.0.0.1 -c max_connections={most}"
    log = str(scratch / "replica.log")
    run("pg_ctl", "--pgdata", str(data), "--options", options, "--wait", "--log", log, "start")
    url = replica_url(port, primary["NAME"])
    try:
        member = MemberFactory(name="Written on the primary")
        query = f"SELECT 1 FROM network_member WHERE id = {member.pk}"  # noqa: S608 (an int)
        assert seen_within(url, query, 20), "the write did not reach the replica"
        with psycopg.connect(url) as replica:
            assert replica.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                replica.execute("CREATE TABLE not_here (id int)")

        run("pg_ctl", "--pgdata", str(data), "--wait", "promote")
        with psycopg.connect(url, autocommit=True) as promoted:
            assert promoted.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)
            promoted.execute(
                "UPDATE network_member SET name = 'Failed over' WHERE id = %s", [member.pk]
            )
            assert promoted.execute(query).fetchone() == (1,)
    finally:
        run("pg_ctl", "--pgdata", str(data), "--mode", "immediate", "stop")
