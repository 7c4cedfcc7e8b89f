"""Fault drills against a running `make prod-local`: `make drills` (or one: `--only postgres`).

    .venv/bin/python tests/load/drills.py [--only postgres|redis|socket|worker|smtp]
        [--postgres-seconds 15] [--redis-seconds 30] [--smtp-seconds 60]

Each drill keeps members busy through nginx (page readers over HTTPS, and chat clients in one
cohort room over WSS, following docs/chat-protocol.md), breaks one real process, mends it, and
ends by checking that nothing was lost: every page answer was a page or the clean 503 page
(never a traceback or a bare 502), pages answer again without restarting Convene, every chat
send was acknowledged and stored exactly once (counted in PostgreSQL), and every client holds
every message of the room exactly once, in order.

- postgres: PostgreSQL stopped for --postgres-seconds (15: longer than the socket servers'
  10 s wait for a pooled connection) under load, then started again. Chat sends made in the
  gap must each get an `unavailable` error frame naming its client_id, and no socket may
  close: the client resends, and each send is stored once.
- redis: Redis stopped for --redis-seconds (30 by default), then started again. Before it
  stops, invitations are queued while the mail server refuses, so that their Celery tasks are
  waiting to be retried when Redis goes; once Redis is back and the mail server accepts, each
  invitation must arrive exactly once.
- socket: one of the two socket servers killed with SIGKILL (it comes back by itself).
- worker: every gunicorn page worker killed with SIGKILL mid-request (the master replaces them).
- smtp: the mail server answers every recipient "451 try again later" for --smtp-seconds (60);
  invitations queued meanwhile must be retried (the sink counts the refused tries) and each
  arrive exactly once, counted by recipient and by Message-ID in var/prod/mail/.

Processes are held down through config/prod_local.py's hold files, and the SMTP sink refuses
while its file exists. Prints one JSON object per drill and exits 1 if any drill failed. Too
slow for CI (several minutes in all; tests/load/test_database_restart.py and
test_mail_refused.py run short versions); docs/deploy.md and docs/benchmarks.md record a run.
"""

from __future__ import annotations

import argparse
import asyncio
import email.parser
import email.policy
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
MAILS = 10  # invitations queued by each mail check


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


async def say(senders: list[ChatClient], phase: str) -> list[str]:
    """Each sender sends ROUND messages; returns their client_ids."""
    sent = []
    for n in range(ROUND):
        for sender in senders:
            sent.append(await sender.send(f"drill {phase} {sender.name} {n}"))
        await asyncio.sleep(0.1)
    return sent


def refused_unavailable(clients: list[ChatClient], client_ids: list[str]) -> int:
    """How many of these sends the server answered with an `unavailable` error frame."""
    refused = {
        f.get("client_id") for c in clients for f in c.frames if f.get("code") == "unavailable"
    }
    return sum(1 for cid in client_ids if cid in refused)


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
        "error_frames": dict(
            Counter(f.get("code") for c in clients for f in c.frames if f.get("type") == "error")
        ),
        "reconnects": sum(c.connects - 1 for c in clients),
        "drops": sorted({drop for c in clients for drop in c.drops}),
        "unacknowledged": sum(len(c.outbox) for c in senders),
        "problem": problem,
    }


# Mail -------------------------------------------------------------------------------------


def queue_invitations(tag: str, env: dict[str, str]) -> list[str]:
    """MAILS invitations through the service a manager's page calls: one e-mail each."""
    command = [sys.executable, "tests/load/invite_drill_people.py", "--tag", tag]
    out = subprocess.check_output([*command, "--count", str(MAILS)], cwd=ROOT, env=env, text=True)
    return json.loads(out.splitlines()[-1])


def mail_at_sink(tag: str, since: float) -> tuple[Counter, list[str]]:
    """Messages the SMTP sink kept for this tag's addresses: count per recipient, Message-IDs."""
    parser = email.parser.BytesHeaderParser(policy=email.policy.default)
    per_address: Counter = Counter()
    message_ids = []
    for path in (VAR / "mail").glob("*.eml"):
        if path.stat().st_mtime < since:
            continue
        headers = parser.parsebytes(path.read_bytes())
        to = str(headers.get("To", ""))
        if f"{tag}-" in to:
            per_address[to] += 1
            message_ids.append(str(headers.get("Message-ID", "")))
    return per_address, message_ids


def refused_tries(tag: str) -> list[float]:
    """When the sink refused a recipient of this tag (each a try the worker made)."""
    if not prod_local.SMTP_REFUSALS.exists():
        return []
    lines = prod_local.SMTP_REFUSALS.read_text().splitlines()
    return [float(line.split()[0]) for line in lines if f"{tag}-" in line]


async def wait_for_refusals(tag: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len({*refused_tries(tag)}) < MAILS and time.monotonic() < deadline:
        await asyncio.sleep(0.5)


async def mail_verdict(tag: str, addresses: list[str], since: float, timeout: float) -> dict:
    """Waits for one message per address; then counts (a second copy would show by then)."""
    accepting = time.monotonic()
    deadline = accepting + timeout
    arrived_after = None
    while time.monotonic() < deadline:
        per_address, _ = mail_at_sink(tag, since)
        if all(per_address[address] for address in addresses):
            arrived_after = round(time.monotonic() - accepting, 1)
            break
        await asyncio.sleep(1)
    await asyncio.sleep(5)
    per_address, message_ids = mail_at_sink(tag, since)
    tries = refused_tries(tag)
    return {
        "queued": len(addresses),
        "arrived_once": sum(1 for a in addresses if per_address[a] == 1),
        "sent_twice": sum(1 for a in addresses if per_address[a] > 1),
        "distinct_message_ids": len(set(message_ids)),
        "refused_tries": len(tries),
        "all_arrived_s_after_accepting": arrived_after,
    }


def worker_answers(env: dict[str, str]) -> bool:
    """Whether a Celery worker answers a ping through the broker (docs/deploy.md, "Redis")."""
    command = [str(ROOT / ".venv" / "bin" / "celery"), "-A", "config", "inspect", "ping"]
    answer = subprocess.run(
        [*command, "--timeout", "3"], cwd=ROOT, env=env, capture_output=True, check=False
    )
    return answer.returncode == 0


async def wait_for_worker(env: dict[str, str], timeout: float) -> float | None:
    """Seconds until a worker answered again; None if none did in time."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await asyncio.to_thread(worker_answers, env):
            return round(time.monotonic() - started, 1)
    return None


def mail_ok(mail: dict) -> bool:
    return (
        mail["arrived_once"] == mail["queued"] == mail["distinct_message_ids"]
        and mail["sent_twice"] == 0
        and mail["refused_tries"] >= mail["queued"]
    )


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
            down = await say(senders, "postgres-down")  # each answered `unavailable`
            await asyncio.sleep(args.postgres_seconds - 1)
            prod_local.held("postgres").unlink()
        elif name == "redis":
            # Mail waiting in Celery when Redis goes: refused once, so each task is between
            # retries; the sink accepts again when Redis is back.
            tag, since = f"redis{int(time.time())}", time.time()
            prod_local.smtp_refusing().touch()
            addresses = await asyncio.to_thread(queue_invitations, tag, env)
            await wait_for_refusals(tag, 60)
            prod_local.held("redis").touch()
            stop_redis()
            await say(senders, "redis-down")
            await asyncio.sleep(args.redis_seconds)
            prod_local.held("redis").unlink()
            prod_local.smtp_refusing().unlink()
        elif name == "smtp":
            tag, since = f"smtp{int(time.time())}", time.time()
            prod_local.smtp_refusing().touch()
            addresses = await asyncio.to_thread(queue_invitations, tag, env)
            await say(senders, "smtp-refusing")
            await asyncio.sleep(args.smtp_seconds)
            prod_local.smtp_refusing().unlink()
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
        if name == "postgres":
            result["chat"]["gap_sends"] = len(down)
            result["chat"]["gap_sends_answered_unavailable"] = refused_unavailable(senders, down)
        if name == "redis":
            result["worker_answers_after_s"] = await wait_for_worker(env, 90)
        if name in ("redis", "smtp"):
            result["mail"] = await mail_verdict(tag, addresses, since, args.mail_wait)
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
        and (name != "postgres" or answered_cleanly(chat))
        and ("mail" not in result or mail_ok(result["mail"]))
        and result.get("worker_answers_after_s", 0) is not None
    )
    return result


def answered_cleanly(chat: dict) -> bool:
    """Every send made while PostgreSQL was down got an error frame, and no socket closed."""
    return chat["gap_sends_answered_unavailable"] == chat["gap_sends"] and chat["reconnects"] == 0


DRILLS = ["postgres", "redis", "socket", "worker", "smtp"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=DRILLS)
    parser.add_argument("--postgres-seconds", type=float, default=15)
    parser.add_argument("--redis-seconds", type=float, default=30)
    parser.add_argument("--smtp-seconds", type=float, default=60)
    parser.add_argument("--mail-wait", type=float, default=420, help="seconds to wait for mail")
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
    for name in [args.only] if args.only else DRILLS:
        result = asyncio.run(drill(name, accounts, env, args))
        print(json.dumps(result), flush=True)
        failed |= not result["pass"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
