"""Console benchmark: a program of 5,000 members with a year of activity, on PostgreSQL.

    .venv/bin/python tests/services.py -- .venv/bin/python bench/console.py [--members 5000]

Needs DATABASE_URL pointing at an empty PostgreSQL database (tests/services.py makes a throwaway
one). Seeds one program of cohorts of 50 with a year of sign-ins, posts (a tenth of the threads
off the record), cohort chat, direct messages, events with RSVPs and attendance; runs the
summary tasks from nothing (the first run after deploying), after a day's worth of new activity,
with nothing new, and after a busy five minutes (what each beat sees: the snapshots are
recomputed only for the cohorts whose members were active or tied); then requests the cohort
and program consoles through Django's test client as an administrator (the whole view:
middleware, queries and template; DEBUG off) and prints JSON with p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from events import summaries as event_summaries  # noqa: E402
from events.models import RSVP, Event  # noqa: E402
from messaging import summaries as messaging_summaries  # noqa: E402
from messaging.discussions.models import Board, Post, Thread  # noqa: E402
from messaging.models import Message, Room, RoomKind  # noqa: E402
from network import demo, summaries  # noqa: E402
from network.models import (  # noqa: E402
    AuditEntry,
    Cohort,
    CohortMembership,
    Invitation,
    Member,
    MemberType,
    Program,
    RecordsMode,
    User,
)

COHORT_SIZE = 50
BATCH = 5000
DAYS = 365


def bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def seed_people(count: int, rng: random.Random) -> tuple[Program, list[Cohort], dict]:
    agencies = [a for a in demo.load_agencies().values() if a.sector == "federal"]
    program = Program.objects.create(slug="bench", name="Bench fellowship")
    cohorts = bulk(
        Cohort,
        [Cohort(program=program, slug=f"bench-{n}", name=f"Class {n}")
         for n in range(count // COHORT_SIZE)],
    )  # fmt: skip
    unusable = make_password(None)
    users = bulk(User, [User(email=f"m{n}@bench.gov", password=unusable) for n in range(count)])
    types = list(MemberType.values)
    members = bulk(
        Member,
        [Member(user=u, name=f"Member {n}", agency=rng.choice(agencies),
                member_type=rng.choice(types)) for n, u in enumerate(users)],
    )  # fmt: skip
    by_cohort = {
        c.pk: members[i * COHORT_SIZE : (i + 1) * COHORT_SIZE] for i, c in enumerate(cohorts)
    }
    bulk(
        CohortMembership,
        [CohortMembership(cohort_id=c, member=m) for c, ms in by_cohort.items() for m in ms],
    )
    bulk(
        Invitation,
        [Invitation(cohort_id=c, email=f"inv{c}-{n}@bench.gov", accepted_at=timezone.now()
                    if n < 40 else None) for c in by_cohort for n in range(55)],
    )  # fmt: skip
    return program, cohorts, by_cohort


def moment(rng: random.Random, now):
    return now - timedelta(days=rng.random() * DAYS)


def seed_activity(by_cohort: dict, rng: random.Random) -> dict[str, int]:
    now = timezone.now()
    counts = {}
    logins = [
        AuditEntry(action="login", actor_id=m.user_id, actor_email="", at=moment(rng, now))
        for ms in by_cohort.values() for m in ms for _ in range(rng.randint(0, 80))
    ]  # fmt: skip
    counts["sign_ins"] = len(bulk(AuditEntry, logins))
    boards = bulk(Board, [Board(name=f"B{c}", slug=f"b-{c}", cohort_id=c) for c in by_cohort])
    threads, posts = [], []
    for board in boards:
        people = by_cohort[board.cohort_id]
        for t in range(52):
            off = RecordsMode.OFF_THE_RECORD if t % 10 == 0 else ""
            threads.append(Thread(board=board, title=f"Topic {t}", author=rng.choice(people),
                                  records_mode=off, post_count=20))  # fmt: skip
    threads = bulk(Thread, threads)
    for thread in threads:
        people = by_cohort[thread.board.cohort_id]
        start = moment(rng, now)
        for n in range(1, 21):
            author = thread.author if n == 1 else rng.choice(people)
            posts.append(Post(thread=thread, number=n, author=author, body="b", body_html="b",
                              created_at=min(start + timedelta(hours=n), now)))  # fmt: skip
    counts["posts"] = len(bulk(Post, posts))
    rooms = bulk(Room, [Room(kind=RoomKind.COHORT, cohort_id=c, name=f"R{c}") for c in by_cohort])
    messages = []
    for room in rooms:
        people = by_cohort[room.cohort_id]
        for seq in range(1, 2001):
            at, sender = moment(rng, now), rng.choice(people)
            messages.append(
                Message(room=room, seq=seq, rev=seq, sender=sender, client_id=str(seq), body="hi",
                        created_at=at)
            )  # fmt: skip
    everyone = [m for ms in by_cohort.values() for m in ms]
    pairs = {tuple(sorted((a.pk, b.pk))) for a, b in
             (rng.sample(everyone, 2) for _ in range(len(everyone)))}  # fmt: skip
    directs = bulk(Room, [Room(kind=RoomKind.DIRECT, direct_key=f"{a}:{b}") for a, b in pairs])
    for room in directs:
        a, b = (int(x) for x in room.direct_key.split(":"))
        for seq in range(1, 6):
            at, sender_id = moment(rng, now), (a, b)[seq % 2]
            messages.append(
                Message(room=room, seq=seq, rev=seq, sender_id=sender_id, client_id=str(seq),
                        body="hi", created_at=at)
            )  # fmt: skip
    counts["messages"] = len(bulk(Message, messages))
    events, rsvps = [], []
    for cohort_id in by_cohort:
        for n in range(24):
            start = now - timedelta(days=DAYS) + timedelta(days=15 * n + rng.random())
            events.append(Event(cohort_id=cohort_id, title=f"Session {n}", starts_at=start,
                                ends_at=start + timedelta(hours=1), time_zone="America/New_York",
                                records_mode=RecordsMode.OFF_THE_RECORD if n % 6 == 0
                                else RecordsMode.INFORMAL))  # fmt: skip
    events = bulk(Event, events)
    for event in events:
        for member in rng.sample(by_cohort[event.cohort_id], 30):
            past = event.starts_at < now
            rsvps.append(RSVP(event=event, member=member, status="going",
                              responded_at=event.starts_at - timedelta(days=3),
                              attended=(rng.random() < 0.8) if past else None))  # fmt: skip
    counts["events"] = len(events)
    counts["rsvps"] = len(bulk(RSVP, rsvps))
    return counts


def summarise() -> dict[str, int]:
    """The four beat tasks, one after the other, in milliseconds each."""
    times = {}
    for name, step in (
        ("network", lambda: [None for _ in iter(summaries.summarise_sign_ins, 0)]),
        ("messaging", messaging_summaries.summarise),
        ("events", event_summaries.summarise),
        ("snapshots", summaries.refresh_snapshots),
    ):
        started = time.perf_counter()
        step()
        times[name] = round((time.perf_counter() - started) * 1000)
    return times


def a_days_activity(by_cohort: dict, rng: random.Random) -> None:
    """What a busy day adds: 500 posts, 3,000 chat messages, 2,000 sign-ins."""
    now = timezone.now()
    threads = list(Thread.objects.order_by("?")[:100])
    bulk(Post, [Post(thread=t, number=100 + n, author=t.author, body="b", body_html="b",
                     created_at=now) for t in threads for n in range(5)])  # fmt: skip
    rooms = list(Room.objects.filter(kind=RoomKind.COHORT))
    bulk(Message, [Message(room=r, seq=10_000 + n, rev=10_000 + n, sender=by_cohort[r.cohort_id][0],
                           client_id=f"new{n}", body="x", created_at=now)
                   for r in rooms for n in range(30)])  # fmt: skip
    users = list(User.objects.order_by("?").values_list("pk", flat=True)[:2000])
    bulk(AuditEntry, [AuditEntry(action="login", actor_id=u, at=now) for u in users])


def a_busy_five_minutes(by_cohort: dict, rng: random.Random) -> None:
    """A beat's share of that busy day: 2 posts, 10 chat messages, 7 sign-ins."""
    now = timezone.now()
    for n, thread in enumerate(Thread.objects.order_by("?")[:2]):
        Post.objects.create(thread=thread, number=200 + n, author=thread.author, body="b",
                            body_html="b", created_at=now)  # fmt: skip
    for n, room in enumerate(Room.objects.filter(kind=RoomKind.COHORT).order_by("?")[:10]):
        Message.objects.create(room=room, seq=20_000 + n, rev=20_000 + n, client_id=f"five{n}",
                               sender=rng.choice(by_cohort[room.cohort_id]), body="x",
                               created_at=now)  # fmt: skip
    users = User.objects.order_by("?").values_list("pk", flat=True)[:7]
    bulk(AuditEntry, [AuditEntry(action="login", actor_id=u, at=now) for u in users])


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(client: Client, urls: list[str], repeats: int) -> dict[str, float]:
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm: sessions, templates
    samples = []
    for n in range(repeats):
        url = urls[n % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "p50_ms": round(percentile(samples, 50), 1),
        "p95_ms": round(percentile(samples, 95), 1),
    }


def profile(client: Client, url: str) -> dict:
    """One request's SQL, slowest first, against the whole request's time."""
    queries: list[tuple[float, str]] = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql))

    client.get(url)
    started = time.perf_counter()
    with connection.execute_wrapper(record):
        client.get(url)
    total = (time.perf_counter() - started) * 1000
    queries.sort(reverse=True)
    return {
        "request_ms": round(total, 1),
        "sql_ms": round(sum(ms for ms, _ in queries), 1),
        "queries": len(queries),
        "slowest": [f"{ms:.1f} ms {sql[:160]}" for ms, sql in queries[:6]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="show each console's queries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (run through tests/services.py).")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    with transaction.atomic():
        program, cohorts, by_cohort = seed_people(args.members, rng)
        seeded = seed_activity(by_cohort, rng)
    seed_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    first_run = summarise()
    a_days_activity(by_cohort, rng)
    day_run = summarise()
    idle_run = summarise()
    a_busy_five_minutes(by_cohort, rng)
    five_minutes_run = summarise()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    admin = User.objects.create(email="admin@bench.gov", is_staff=True, is_superuser=True)
    Member.objects.create(user=admin, name="Bench Admin")
    settings.MFA_EXEMPT_EMAILS = [*settings.MFA_EXEMPT_EMAILS, admin.email]
    client = Client()
    client.force_login(admin)
    cohort_urls = [f"/cohorts/{c.slug}/console/" for c in rng.sample(cohorts, 10)]
    result = {
        "members": Member.objects.count() - 1,
        "cohorts": len(cohorts),
        "seeded": seeded,
        "seed_s": round(seed_s, 1),
        "summary_rows": {
            "member_days": summaries.MemberDay.objects.count(),
            "cohort_weeks": summaries.CohortWeek.objects.count(),
            "event_tallies": summaries.EventTally.objects.count(),
            "ties": summaries.Tie.objects.count(),
        },
        "summary_task_ms": {
            "from_nothing": first_run,
            "after_a_day": day_run,
            "nothing_new": idle_run,
            "after_five_busy_minutes": five_minutes_run,
        },
        "cohort_console": timed(client, cohort_urls, args.repeats),
        "program_console": timed(client, [f"/programs/{program.slug}/console/"], args.repeats),
    }
    if args.profile:
        result["profile"] = {
            "cohort": profile(client, cohort_urls[0]),
            "program": profile(client, f"/programs/{program.slug}/console/"),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
