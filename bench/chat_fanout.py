"""Chat fan-out benchmark: Convene's chat against a bare group_send consumer, same run.

    python tests/services.py -- .venv/bin/python bench/chat_fanout.py [--layer core|pubsub]

Starts two real uvicorn processes on the wrapper's PostgreSQL and Redis: Convene
(config.asgi, with auth, the database and sequence numbers) and the baseline
(bench/baseline_asgi.py: join a group, group_send every frame, nothing else). This process is
the clients. For a room of N connected clients it measures send-to-last-delivery (one message
at a time, p50/p95/p99) and a sustained run (as fast as the server takes them), and counts lost
and duplicated messages per client. Convene's clients follow docs/chat-protocol.md (replay on
gaps), so a loss is a real loss; the baseline's clients only listen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.load.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from messaging.models import ChatPreference  # noqa: E402
from messaging.services.chat import ensure_cohort_rooms  # noqa: E402
from network.models import Cohort, CohortMembership, Member, Program, User  # noqa: E402
from tests.load.chat_client import ChatClient  # noqa: E402
from tests.load.servers import Server, running, server_env  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(latencies: list[float]) -> dict:
    ms = [v * 1000 for v in latencies]
    return {
        "p50": round(percentile(ms, 50), 1),
        "p95": round(percentile(ms, 95), 1),
        "p99": round(percentile(ms, 99), 1),
        "mean": round(statistics.mean(ms), 1),
    }


def make_people(count: int) -> tuple[int, list[str]]:
    """A cohort of ``count`` members with sessions, made directly (no password hashing)."""
    program, _ = Program.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    cohort = Cohort.objects.create(program=program, name="Bench", slug=f"bench-{time.time_ns()}")
    cookies = []
    for n in range(count):
        user = User(email=f"bench{time.time_ns()}-{n}@example.gov")
        user.set_unusable_password()
        user.save()
        member = Member.objects.create(user=user, name=f"Bench {n}")
        # Presence hidden: N clients connecting at once would otherwise exchange N² presence
        # frames, which is a connect storm, not the message fan-out measured here.
        ChatPreference.objects.create(member=member, show_presence=False)
        CohortMembership.objects.create(cohort=cohort, member=member)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(session.session_key)
    ensure_cohort_rooms(member=member)
    return cohort.chat_room.pk, cookies


# Convene -------------------------------------------------------------------------------------


async def convene_run(url: str, room: int, cookies: list[str], rounds: int, burst: int) -> dict:
    # No client-side keepalive: an overloaded client process would time its own pings out
    # and reconnect, measuring itself rather than the server.
    clients = [
        ChatClient([url], cookie, room, f"c{n}", keepalive=None) for n, cookie in enumerate(cookies)
    ]
    for chunk in range(0, len(clients), 50):  # do not stampede the handshake
        for client in clients[chunk : chunk + 50]:
            client.start()
        await asyncio.gather(
            *(asyncio.wait_for(c.connected.wait(), 60) for c in clients[chunk : chunk + 50])
        )
    sender = clients[0]
    # Everyone connecting announced themselves to everyone (N² presence frames): let that
    # drain before measuring. A pong comes after every frame the server queued before it.
    await asyncio.sleep(1)
    for client in clients:
        await client.raw({"type": "ping", "ref": "settled"})
    for client in clients:
        await client.wait_for_frame("pong", timeout=60, ref="settled")
    start_seq = max(c.last for c in clients)
    latencies = []
    for n in range(rounds):
        began = time.perf_counter()
        await sender.send(f"latency {n}")
        target = start_seq + n + 1
        await asyncio.gather(*(c.wait_for_last(target, 30) for c in clients))
        ids = [m["id"] for m in sender.messages.values() if m["seq"] == target]
        latencies.append(max(c.arrivals[ids[0]] for c in clients) - began)
    # Sustained: as fast as the server acknowledges, 50 sends in flight.
    first = start_seq + rounds + 1
    began = time.perf_counter()
    for n in range(burst):
        while len(sender.outbox) >= 50:
            await asyncio.sleep(0.001)
        await sender.send(f"burst {n}")
    await sender.wait_for_acks(120)
    last = first + burst - 1
    done = await drain(clients, last, 120)
    elapsed = time.perf_counter() - began
    lost = dup = 0
    for client in clients:
        got = [s for s in client.delivered if first <= s <= last]
        lost += burst - len(set(got))
        dup += len(got) - len(set(got))
    for client in clients:
        await client.stop()
    return {
        "latency_ms": summary(latencies),
        "sustained_msgs_per_s": round(burst / elapsed, 1),
        "sustained_complete": done,
        "reconnects": sum(c.connects - 1 for c in clients),
        "lost": lost,
        "duplicated": dup,
    }


async def drain(clients: list[ChatClient], last: int, timeout: float) -> bool:
    try:
        await asyncio.gather(*(c.wait_for_last(last, timeout) for c in clients))
        return True
    except TimeoutError:
        return False


# Baseline ------------------------------------------------------------------------------------


async def baseline_run(url: str, size: int, rounds: int, burst: int) -> dict:
    arrivals: list[dict[int, float]] = [{} for _ in range(size)]
    counts: list[dict[int, int]] = [{} for _ in range(size)]
    events: dict[int, asyncio.Event] = {}
    sockets = []

    async def listen(index: int, socket) -> None:
        async for text in socket:
            n = json.loads(text)["n"]
            counts[index][n] = counts[index].get(n, 0) + 1
            arrivals[index].setdefault(n, time.perf_counter())
            if n in events and all(n in a for a in arrivals):
                events[n].set()

    for _ in range(size):
        socket = await connect(url, origin="http://127.0.0.1", max_queue=None, ping_interval=None)
        sockets.append(socket)
    listeners = [asyncio.create_task(listen(i, s)) for i, s in enumerate(sockets)]
    await asyncio.sleep(1)
    latencies = []
    for n in range(rounds):
        events[n] = asyncio.Event()
        began = time.perf_counter()
        await sockets[0].send(json.dumps({"n": n}))
        try:
            await asyncio.wait_for(events[n].wait(), 10)
        except TimeoutError:
            continue  # lost somewhere: counted below
        latencies.append(max(a[n] for a in arrivals) - began)
    began = time.perf_counter()
    burst_ids = range(rounds, rounds + burst)
    for n in burst_ids:
        await sockets[0].send(json.dumps({"n": n}))
    last = burst_ids[-1]
    events[last] = asyncio.Event()
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline and not all(
        sum(1 for k in a if k >= rounds) == burst for a in arrivals
    ):
        await asyncio.sleep(0.05)
        if all(last in a for a in arrivals):
            await asyncio.sleep(1)  # stragglers
            break
    elapsed = time.perf_counter() - began
    lost = sum(burst - sum(1 for k in a if k >= rounds) for a in arrivals)
    lost += sum(rounds - sum(1 for k in a if k < rounds) for a in arrivals)
    dup = sum(c - 1 for counter in counts for c in counter.values())
    for task in listeners:
        task.cancel()
    for socket in sockets:
        await socket.close()
    return {
        "latency_ms": summary(latencies) if latencies else None,
        "sustained_msgs_per_s": round(burst / elapsed, 1),
        "lost": lost,
        "duplicated": dup,
    }


# Main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--burst", type=int, default=500, help="messages in the sustained run")
    parser.add_argument("--layer", choices=["core", "pubsub"], default="core")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    call_command("migrate", verbosity=0)
    env = server_env(
        os.environ["DATABASE_URL"],
        DJANGO_SETTINGS_MODULE="tests.load.settings",
        CONVENE_CHANNEL_LAYER=args.layer,
    )
    convene = Server(env)
    baseline = Server(env, app="bench.baseline_asgi:application")
    results = {"layer": args.layer, "rounds": args.rounds, "burst": args.burst, "sizes": {}}
    with running(convene, baseline):
        for size in sizes:
            room, cookies = make_people(size)
            base = asyncio.run(baseline_run(baseline.ws_url, size, args.rounds, args.burst))
            ours = asyncio.run(convene_run(convene.ws_url, room, cookies, args.rounds, args.burst))
            ratio = (
                round(ours["latency_ms"]["p99"] / base["latency_ms"]["p99"], 2)
                if base["latency_ms"]
                else None
            )
            results["sizes"][size] = {"baseline": base, "convene": ours, "p99_ratio": ratio}
            print(json.dumps({size: results["sizes"][size]}), flush=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
