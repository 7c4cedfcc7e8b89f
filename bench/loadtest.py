"""`make loadtest` and `make soak`: simulated members against a running Convene, one JSON line.

    .venv/bin/python bench/loadtest.py [--users 200] [--duration 180] [--host https://127.0.0.1:8443]
    .venv/bin/python bench/loadtest.py --soak --users 40 --duration 1800 --wait 5,15 --churn 60

Loopback only. Without DATABASE_URL in the environment it takes the site's environment from
config/prod_local.py (the default host is `make prod-local`'s); for another local shape give
--host, and DATABASE_URL and REDIS_URL if it has its own services.

Steps: seed the load members and sign them in (bench/load_seed.py), warm the page workers,
run locust headless (bench/locustfile.py) while sampling the server processes' own memory
and PostgreSQL's connection count, check the chat from the database (every acknowledged send
stored exactly once), and print one JSON object as the last line of output. Exit status 1
when a gate fails: 5xx and timeouts over 0.025 %, a chat message lost or duplicated, and p99
over 2 s (the load test) or, for --soak, a process's memory growing more than 10 % from
warm-up to the end or PostgreSQL connections above --max-connections. The soak gates staying
power, not latency: its rate is chosen to be well within what the machine serves, and its
latency is reported only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
OUT = ROOT / "var" / "prod" / "load"
SERVERS = ("gunicorn", "uvicorn", "celery", "nginx", "redis-server", "postgres")


def site_env(host: str) -> dict[str, str]:
    """The site's settings: the environment's, or else prod-local's (whose PostgreSQL and
    Redis a single uvicorn can share for a comparison, docs/benchmarks.md)."""
    env = dict(os.environ)
    if "DATABASE_URL" not in env:
        lines = subprocess.check_output(  # noqa: S603  (our own script)
            [PY, "config/prod_local.py", "env"], cwd=ROOT, text=True
        )
        env.update(line.split("=", 1) for line in lines.splitlines())
    if urlparse(host).hostname not in ("127.0.0.1", "localhost"):
        sys.exit("The load test runs on loopback only.")
    return env


# Sampling ---------------------------------------------------------------------------------


def server_processes() -> dict[int, str]:
    """This checkout's server processes (their working directory is the repository, or the
    PostgreSQL and nginx under var/prod/), by pid, named by what they run."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cwd = os.readlink(proc / "cwd")
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        command = " ".join(a.decode(errors="replace") for a in argv if a)
        mine = cwd == str(ROOT) or str(ROOT / "var" / "prod") in command + cwd
        name = next((s for s in SERVERS if s in command), None)
        if mine and name and "prod_local.py" not in command:
            port = next((a for a in command.split() if a.isdigit() and len(a) == 4), "")
            found[int(proc.name)] = f"{name}{':' + port if name == 'uvicorn' else ''}"
    return found


def rss_kib(pid: int) -> int:
    """The process's own resident memory (RssAnon): not the shared memory PostgreSQL's
    backends touch, nor the pages gunicorn's workers still share with their master."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory() -> dict[str, int]:
    """Own resident memory per server process, in MiB, named like 'gunicorn 1234'."""
    return {
        f"{name} {pid}": rss_kib(pid) // 1024
        for pid, name in sorted(server_processes().items())
        if rss_kib(pid)
    }


def pg_connections(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=3) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
    return int(row[0]) - 1  # not this one


class Sampler(threading.Thread):
    def __init__(self, database_url: str, warm_after: float) -> None:
        super().__init__(daemon=True)
        self.database_url, self.warm_after = database_url, warm_after
        self.connections: list[int] = []
        self.warm: dict[str, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.done.wait(5):
            with contextlib.suppress(Exception):  # a drill may have PostgreSQL down
                self.connections.append(pg_connections(self.database_url))
            if not self.warm and time.monotonic() - started >= self.warm_after:
                self.warm = memory()


def warm_up(host: str, accounts: list[dict], rounds: int = 20) -> None:
    """A few pages before measuring: the seed just added members, and each page worker
    refreshes what it keeps of the directory on its first directory page after that."""
    import ssl
    import urllib.request

    context = ssl._create_unverified_context()  # noqa: S323  (loopback, our own certificate)
    for n in range(rounds):
        cookie = accounts[n % len(accounts)]["cookie"]
        for path in ("/directory/?q=a", "/"):
            headers = {"Cookie": f"sessionid={cookie}"}
            request = urllib.request.Request(host + path, headers=headers)  # noqa: S310
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(  # noqa: S310
                    request, context=context, timeout=30
                ),
            ):
                pass


# Results ----------------------------------------------------------------------------------


def percentile(histogram: dict[int, int], fraction: float) -> float:
    total = sum(histogram.values())
    if not total:
        return 0.0
    wanted, running = fraction * total, 0
    for value in sorted(histogram):
        running += histogram[value]
        if running >= wanted:
            return float(value)
    return float(max(histogram))


def merged(entries: list[dict]) -> dict[int, int]:
    histogram: dict[int, int] = {}
    for entry in entries:
        for value, count in entry["response_times"].items():
            histogram[int(float(value))] = histogram.get(int(float(value)), 0) + count
    return histogram


def server_side(since: float, until: float) -> dict | None:
    """Page times as nginx saw them (its access log, /ws/ left out): from the first byte of a
    request to the last of its answer, so without the load generator's own delays."""
    log = ROOT / "var" / "prod" / "log" / "access.log"
    if not log.exists():
        return None
    times = []
    for line in log.read_text(errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 8 or '"GET /ws/' in line:
            continue
        try:
            when = datetime.strptime(parts[1].lstrip("["), "%d/%b/%Y:%H:%M:%S").replace(tzinfo=UTC)
            took = float(next(p for p in parts if p.startswith("rt="))[3:])
        except (ValueError, StopIteration):
            continue
        if since <= when.timestamp() <= until:
            times.append(took * 1000)
    if not times:
        return None
    times.sort()
    at = lambda f: round(times[min(int(f * len(times)), len(times) - 1)], 1)  # noqa: E731
    return {"requests": len(times), "p50_ms": at(0.5), "p95_ms": at(0.95), "p99_ms": at(0.99),
            "max_ms": round(times[-1], 1)}  # fmt: skip


def chat_checked_in_database(chat: dict, database_url: str) -> dict:
    """Every acknowledged send is stored once; a send never acknowledged is not stored twice."""
    import psycopg

    ids = chat["client_ids"] + chat["unacked_ids"]
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT client_id, count(*) FROM messaging_message WHERE client_id = ANY(%s) "
            "GROUP BY client_id",
            [ids],
        ).fetchall()
    stored = dict(rows)
    return {
        "stored": sum(stored.values()),
        "acked_missing": sum(1 for cid in chat["client_ids"] if cid not in stored),
        "stored_twice": sum(1 for count in stored.values() if count > 1),
    }


def summary(args: argparse.Namespace, stats: list[dict], chat: dict, db: dict) -> dict:
    requests = sum(e["num_requests"] for e in stats)
    failures = sum(e["num_failures"] for e in stats)
    everything = merged(stats)
    kinds: dict[str, list[dict]] = {}
    for entry in stats:
        kinds.setdefault(entry["name"], []).append(entry)
    latencies = chat["latencies_ms"]

    def pct(fraction: float) -> float:
        if not latencies:
            return 0
        return latencies[min(int(fraction * len(latencies)), len(latencies) - 1)]

    return {
        "users": args.users,
        "duration_s": args.duration,
        "requests": requests,
        "rps": round(requests / args.duration, 1),
        "error_rate": round(failures / requests, 6) if requests else 0,
        "p50_ms": percentile(everything, 0.50),
        "p95_ms": percentile(everything, 0.95),
        "p99_ms": percentile(everything, 0.99),
        "by_kind": {
            kind: {
                "requests": sum(e["num_requests"] for e in entries),
                "failures": sum(e["num_failures"] for e in entries),
                "p50_ms": percentile(merged(entries), 0.50),
                "p99_ms": percentile(merged(entries), 0.99),
            }
            for kind, entries in sorted(kinds.items())
        },
        "chat": {
            "sent": chat["sent"],
            "delivered": chat["delivered"],
            "lost": chat["lost"] + db["acked_missing"] + chat["unacked"],
            "duplicated": chat["duplicated"] + db["stored_twice"],
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "chatters": chat["chatters"],
            "expected_deliveries": chat["expected_deliveries"],
            "reconnects": chat["reconnects"],
            "stored": db["stored"],
        },
    }


def gates(result: dict, soak: dict | None) -> list[str]:
    failed = []
    if result["error_rate"] > 0.00025:
        failed.append(f"error rate {result['error_rate']:.4%} over 0.025%")
    if result["p99_ms"] > 2000 and not soak:
        failed.append(f"p99 {result['p99_ms']} ms over 2 s")
    if result["chat"]["lost"] or result["chat"]["duplicated"]:
        failed.append("a chat message lost or duplicated")
    if soak:
        for name, (warm, end) in soak["rss_mib"].items():
            if warm and end > warm * 1.10 and end - warm > 5:
                failed.append(f"{name} grew from {warm} to {end} MiB")
        if result["postgres_connections"]["max"] > soak["max_connections"]:
            failed.append(f"PostgreSQL connections reached {result['postgres_connections']}")
    return failed


# Run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=180)
    parser.add_argument("--spawn-rate", type=float, default=5, help="members arriving per second")
    parser.add_argument("--host", default="https://127.0.0.1:8443")
    parser.add_argument("--wait", default="5,15", help="seconds between a member's actions")
    parser.add_argument("--churn", type=float, default=0, help="seconds a socket stays up")
    parser.add_argument("--soak", action="store_true", help="report memory growth")
    # prod-local: 5 page workers, 2 socket servers x DATABASE_POOL=4, Celery's worker and beat.
    parser.add_argument("--max-connections", type=int, default=40, help="--soak's bound")
    args = parser.parse_args()

    env = site_env(args.host)
    OUT.mkdir(parents=True, exist_ok=True)
    accounts, chat_file, stats_file = OUT / "accounts.json", OUT / "chat.json", OUT / "stats.json"
    subprocess.run(  # noqa: S603  (our own scripts, from here on)
        [PY, "bench/load_seed.py", "--members", str(args.users), "--out", str(accounts)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    warm_up(args.host, json.loads(accounts.read_text())["accounts"])
    sampler = Sampler(env["DATABASE_URL"], warm_after=min(60, args.duration / 5))
    sampler.start()
    locust_env = {
        **env,
        "LOADTEST_ACCOUNTS": str(accounts),
        "LOADTEST_RESULT": str(chat_file),
        "LOADTEST_WAIT": args.wait,
        "LOADTEST_CHURN": str(args.churn),
    }
    began = time.time()
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "locust"), "-f", "bench/locustfile.py", "--headless",
         "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
         "--run-time", f"{args.duration}s", "--host", args.host, "--stop-timeout", "10",
         "--only-summary", "--json-file", str(stats_file.with_suffix("")),
         "--loglevel", "WARNING"],
        cwd=ROOT, env=locust_env,
    )  # fmt: skip
    sampler.done.set()
    end_memory = memory()
    stats = json.loads(stats_file.read_text())
    chat = json.loads(chat_file.read_text())
    result = summary(args, stats, chat, chat_checked_in_database(chat, env["DATABASE_URL"]))
    # nginx writes its log in the background (buffer=64k flush=5s): give it a moment.
    time.sleep(6)
    result["server_side"] = server_side(began, time.time())
    result["postgres_connections"] = {
        "max": max(sampler.connections, default=0),
        "last": sampler.connections[-1] if sampler.connections else 0,
    }
    soak = None
    if args.soak:
        soak = {
            "max_connections": args.max_connections,
            "rss_mib": {
                name: [sampler.warm.get(name, 0), end_memory.get(name, 0)]
                for name in sorted(set(sampler.warm) | set(end_memory))
            },
        }
        result["soak"] = soak
    failed = gates(result, soak)
    result["gates"] = failed or "pass"
    print(json.dumps(result))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
