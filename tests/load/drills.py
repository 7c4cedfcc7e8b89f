"""Fault drills against a running `make prod-local`: `make drills` (or one: `--only postgres`).

    .venv/bin/python tests/load/drills.py [--only postgres|redis|socket|worker] [--redis-seconds 30]

Each drill keeps members busy through nginx (page readers over HTTPS, and chat clients in one
cohort room over WSS, following docs/chat-protocol.md), breaks one real process, mends it, and
ends by checking that nothing was lost: every page answer was a page or the clean 503 page
(never a traceback or a bare 502), pages answer again without restarting Convene, every chat
send was acknowledged and stored exactly once (counted in PostgreSQL), and every client holds
every message of the room exactly once, in order.

- postgres: PostgreSQL stopped for 8 s under load, then started again.
- redis: Redis stopped for --redis-seconds (30 by default), then started again, empty.
- socket: one of the two socket servers killed with SIGKILL (it comes back by itself).
- worker: every gunicorn page worker killed with SIGKILL mid-request (the master replaces them).

Processes are held down through config/prod_local.py's hold files. Prints one JSON object per
drill and exits 1 if any drill failed. Too slow for CI (about 2 minutes in all); docs/deploy.md
and docs/benchmarks.md record a run.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from config import prod_local  # noqa: E402
from tests.load.chat_client import ChatClient  # noqa: E402
from tests.services import as_postgres_user, postgres_bindir  # noqa: E402

VAR = prod_local.VAR
CERT = VAR / "nginx" / "cert.pem"
CLIENTS, SENDERS, ROUND = 6, 3, 5


# Members reading pages --------------------------------------------------------------------


class Readers:
    """Threads that keep asking for the home page (it needs the session, so the database)."""

    def __init__(self, cookies: list[str]) -> None:
        self.cookies = cookies
        self.answers: list[tuple[float, int, bool]] = []  # (when, status, clean)
        self.stop = threading.Event()
        self.context = ssl.create_default_context(cafile=str(CERT))
        self.threads = [threading.Thread(target=self.read, args=(c,)) for c in cookies]

    def read(self, cookie: str) -> None:
        port = prod_local.port("CONVENE_HTTPS_PORT")
        while not self.stop.is_set():
            connection = http.client.HTTPSConnection(
                "127.0.0.1", port, context=self.context, timeout=15
            )
            try:
                connection.request("GET", "/", headers={"Cookie": f"sessionid={cookie}"})
                response = connection.getresponse()
                page = response.read().decode(errors="replace")
                status = response.status
            except (OSError, http.client.HTTPException):
                status, page = 0, ""
            finally:
                connection.close()
            clean = status == 200 or (
                status == 503 and "back in a moment" in page and "Traceback" not in page
            )
            self.answers.append((time.monotonic(), status, clean))
            time.sleep(0.1)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self, since: float) -> dict:
        seen = [a for a in self.answers if a[0] >= since]
        return {
            "statuses": dict(Counter(str(status) for _, status, _ in seen)),
            "unclean": sum(1 for *_, clean in seen if not clean),
        }

    async def wait_for_pages(self, since: float, timeout: float) -> float | None:
        """Seconds after `since` until every reader had a page again; None if not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            later = [a for a in self.answers if a[0] >= since]
            recent = later[-len(self.threads) :]
            if len(recent) == len(self.threads) and all(s == 200 for _, s, _ in recent):
                return round(recent[0][0] - since, 1)
            await asyncio.sleep(0.2)
        return None


# Processes --------------------------------------------------------------------------------


def my_processes(word: str) -> list[int]:
    """Pids of this checkout's processes whose command line holds `word`."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        if word in command and (cwd == str(ROOT) or str(VAR) in command):
            found.append(int(proc.name))
    return found


def stop_postgres() -> None:
    command = [str(postgres_bindir() / "pg_ctl"), "-D", str(VAR / "pg"), "-m", "fast", "stop"]
    subprocess.run(as_postgres_user(command), check=True, stdout=subprocess.DEVNULL)


def stop_redis() -> None:
    port = str(prod_local.port("CONVENE_REDIS_PORT"))
    subprocess.run(
        ["redis-cli", "-p", port, "shutdown", "nosave"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def servers(word: str) -> list[int]:
    """The server processes themselves, not the shell or keep wrapper that started them."""
    return [p for p in my_processes(word) if not any(w in commandline(p) for w in WRAPPERS)]


WRAPPERS = ("prod_local", "/bin/sh")


def commandline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def kill_socket_server() -> None:
    port = str(prod_local.port("CONVENE_WS1_PORT"))
    pid = next(p for p in servers("uvicorn") if f"--port {port} " in commandline(p))
    os.kill(pid, signal.SIGKILL)


def kill_page_workers() -> int:
    """Every worker at once, so that the readers' requests in flight die with them."""
    gunicorn = servers("gunicorn")
    workers = [p for p in gunicorn if parent(p) in gunicorn]
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    return len(workers)


# Chat -------------------------------------------------------------------------------------


async def say(senders: list[ChatClient], phase: str) -> None:
    for n in range(ROUND):
        for sender in senders:
            await sender.send(f"drill {phase} {sender.name} {n}")
        await asyncio.sleep(0.1)


def stored(client_ids: list[str], database_url: str) -> Counter:
    import psycopg

    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT client_id, count(*) FROM messaging_message WHERE client_id = ANY(%s) "
            "GROUP BY client_id",
            [client_ids],
        ).fetchall()
    return Counter(dict(rows))


async def chat_verdict(clients: list[ChatClient], database_url: str) -> dict:
    senders = [c for c in clients if c.acks or c.outbox]
    problem = None
    try:
        for sender in senders:
            await sender.wait_for_acks(60)
        top = max(ack["seq"] for c in senders for ack in c.acks.values())
        await asyncio.gather(*(c.wait_for_last(top, 60) for c in clients))
    except (AssertionError, TimeoutError) as error:
        problem = f"{error.__class__.__name__}: {error}"
        top = max((ack["seq"] for c in senders for ack in c.acks.values()), default=0)
    sent = [cid for c in senders for cid in c.acks]
    counts = stored(sent, database_url)
    in_order = all(c.delivered == list(range(1, top + 1)) for c in clients)
    return {
        "sent": len(sent),
        "stored_once": sum(1 for cid in sent if counts.get(cid) == 1),
        "every_client_has_every_message_once_in_order": in_order,
        "error_frames": sum(1 for c in clients for f in c.frames if f.get("type") == "error"),
        "reconnects": sum(c.connects - 1 for c in clients),
        "unacknowledged": sum(len(c.outbox) for c in senders),
        "problem": problem,
    }


# Drills -----------------------------------------------------------------------------------


async def drill(name: str, accounts: list[dict], env: dict[str, str], args) -> dict:
    room = accounts[0]["room"]
    people = [a for a in accounts if a["room"] == room][:CLIENTS]
    url = f"wss://127.0.0.1:{prod_local.port('CONVENE_HTTPS_PORT')}/ws/"
    clients = [ChatClient([url], a["cookie"], room, f"c{n}").start() for n, a in enumerate(people)]
    senders = clients[:SENDERS]
    await asyncio.gather(*(asyncio.wait_for(c.connected.wait(), 20) for c in clients))
    result: dict = {"drill": name}
    with Readers([a["cookie"] for a in people[:3]]) as readers:
        await say(senders, f"{name}-before")
        started = time.monotonic()
        if name == "postgres":
            prod_local.held("postgres").touch()
            stop_postgres()
            await asyncio.sleep(1)
            await say(senders, "postgres-down")  # these get an error or a closed socket
            await asyncio.sleep(7)
            prod_local.held("postgres").unlink()
        elif name == "redis":
            prod_local.held("redis").touch()
            stop_redis()
            await say(senders, "redis-down")
            await asyncio.sleep(args.redis_seconds)
            prod_local.held("redis").unlink()
        elif name == "socket":
            kill_socket_server()
            await say(senders, "socket-killed")
        elif name == "worker":
            result["workers_killed"] = kill_page_workers()
            await say(senders, "worker-killed")
        mended = time.monotonic()
        result["pages_back_after_s"] = await readers.wait_for_pages(mended, 60)
        await say(senders, f"{name}-after")
        result["chat"] = await chat_verdict(clients, env["DATABASE_URL"])
        result["pages"] = readers.summary(started)
    for client in clients:
        await client.stop()
    chat = result["chat"]
    result["nothing_lost"] = (
        chat["stored_once"] == chat["sent"] == len(senders) * 3 * ROUND
        and chat["every_client_has_every_message_once_in_order"]
    )
    result["pass"] = (
        result["nothing_lost"]
        and result["pages"]["unclean"] == 0
        and result["pages_back_after_s"] is not None
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["postgres", "redis", "socket", "worker"])
    parser.add_argument("--redis-seconds", type=float, default=30)
    args = parser.parse_args()
    env = {**os.environ}
    lines = subprocess.check_output([sys.executable, prod_local.__file__, "env"], text=True)
    env.update(line.split("=", 1) for line in lines.splitlines())
    os.environ["SSL_CERT_FILE"] = str(CERT)  # the chat client trusts prod-local's certificate
    accounts_file = VAR / "load" / "drill-accounts.json"
    subprocess.run(
        [sys.executable, "bench/load_seed.py", "--members", "36", "--out", str(accounts_file)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    accounts = json.loads(accounts_file.read_text())["accounts"]
    failed = False
    for name in [args.only] if args.only else ["postgres", "redis", "socket", "worker"]:
        result = asyncio.run(drill(name, accounts, env, args))
        print(json.dumps(result), flush=True)
        failed |= not result["pass"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
