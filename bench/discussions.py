"""Discussions benchmark: a thread page with 500 posts and search over 200,000 posts.

    .venv/bin/python tests/services.py -- .venv/bin/python bench/discussions.py [--posts 200000]

Needs DATABASE_URL pointing at an empty PostgreSQL database (tests/services.py makes a throwaway
one). Seeds posts in bulk, then requests pages through Django's test client as a signed-in
cohort member (the whole view: middleware, queries, template) and prints p50/p95 server time,
followed by EXPLAIN ANALYZE of each search's main query. The test environment is not set up:
its template instrumentation copies the context on every include and would inflate the thread
page's time several times over.
"""

from __future__ import annotations

import argparse
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
from django.contrib.postgres.search import SearchVector  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from messaging.discussions import search as searching  # noqa: E402
from messaging.discussions import services  # noqa: E402
from messaging.discussions.models import (  # noqa: E402
    Board,
    EmailFrequency,
    EmailPreference,
    Post,
    RecordsMode,
    Thread,
)
from network.models import Cohort, CohortMembership, Member, Program, User  # noqa: E402

WORDS = [
    "agency",
    "budget",
    "hiring",
    "workforce",
    "retention",
    "cybersecurity",
    "modernisation",
    "procurement",
    "cloud",
    "data",
    "privacy",
    "grants",
    "oversight",
    "congress",
    "appropriations",
    "shutdown",
    "telework",
    "morale",
    "training",
    "leadership",
    "succession",
    "policy",
    "regulation",
    "rulemaking",
    "stakeholders",
    "interagency",
    "coordination",
    "transition",
    "onboarding",
    "mentoring",
    "evaluation",
    "performance",
    "metrics",
    "customer",
    "experience",
    "benefits",
    "payroll",
    "acquisition",
    "contracting",
    "vendors",
    "legacy",
    "systems",
    "mainframe",
    "migration",
    "artificial",
    "intelligence",
    "analytics",
    "dashboards",
    "reporting",
    "compliance",
    "audit",
    "inspector",
    "general",
]
RARE = ["zeppelin", "quokka", "marzipan", "obsidian", "heliotrope"]
SEARCHES = {
    "rare word": {"q": "zeppelin"},
    "common word": {"q": "workforce"},
    "two words": {"q": "legacy mainframe"},
    "phrase": {"q": '"customer experience"'},
    "common + board": {"q": "budget", "board": "bench-lounge"},
}
POSTS_PER_THREAD = 50
BATCH = 5000


def sentence(rng: random.Random, n: int) -> str:
    words = rng.choices(WORDS, k=n)
    if rng.random() < 0.001:
        words.append(rng.choice(RARE))
    return " ".join(words).capitalize() + "."


def seed_members(count: int) -> tuple[Cohort, list[Member]]:
    program, _ = Program.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    cohort, _ = Cohort.objects.get_or_create(
        slug="bench-cohort", defaults={"program": program, "name": "Bench cohort"}
    )
    users = User.objects.bulk_create(
        User(email=f"bench-d{i}@example.gov", password="!")  # noqa: S106
        for i in range(count)
    )
    members = Member.objects.bulk_create(Member(user=u, name=f"Member {u.pk}") for u in users)
    CohortMembership.objects.bulk_create(CohortMembership(cohort=cohort, member=m) for m in members)
    # No e-mail while seeding (the console backend would print thousands).
    EmailPreference.objects.bulk_create(
        EmailPreference(member=m, frequency=EmailFrequency.OFF) for m in members
    )
    return cohort, members


def seed_posts(total: int, boards: list[Board], members: list[Member], rng: random.Random):
    start = timezone.now() - timedelta(days=365)
    made = 0
    while made < total:
        with transaction.atomic():
            size = min(BATCH, total - made)
            n_threads = size // POSTS_PER_THREAD
            threads = Thread.objects.bulk_create(
                Thread(
                    board=boards[(made // POSTS_PER_THREAD + i) % len(boards)],
                    title=sentence(rng, 5)[:-1],
                    author=rng.choice(members),
                    post_count=POSTS_PER_THREAD,
                    participant_count=10,
                    last_post_at=start + timedelta(minutes=made + i),
                )
                for i in range(n_threads)
            )
            posts = []
            for thread in threads:
                for number in range(1, POSTS_PER_THREAD + 1):
                    body = " ".join(sentence(rng, rng.randint(8, 30)) for _ in range(3))
                    text = f"{thread.title}\n{body}" if number == 1 else body
                    posts.append(
                        Post(
                            thread=thread, number=number, author=rng.choice(members), body=body,
                            body_html=f"<p>{body}</p>", search_text=text,
                            created_at=start + timedelta(minutes=made + number),
                        )
                    )  # fmt: skip
            Post.objects.bulk_create(posts)
            made += size
        print(f"  seeded {made} posts", file=sys.stderr)
    Post.objects.update(search_vector=SearchVector("search_text", config="english"))
    with connection.cursor() as cursor:
        # The update left a dead version of every row; the app writes each post once
        # (services._search_columns), so compact the table to the shape the app makes.
        cursor.execute("VACUUM FULL ANALYZE discussions_post")
        cursor.execute("VACUUM ANALYZE")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(client: Client, url: str, params: dict, repeats: int) -> tuple[float, float]:
    client.get(url, params)  # warm caches and the session's one-off checks
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return percentile(samples, 50), percentile(samples, 95)


def profile(client: Client, url: str, params: dict) -> None:
    """Twenty requests under cProfile: where a page's time goes, by function."""
    import cProfile
    import pstats

    client.get(url, params)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url, params)
    profiler.disable()
    print(f"\n=== profile: 20 x {url} {params} ===")
    stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


def seed(posts: int) -> tuple[Thread, list[Member]]:
    rng = random.Random(2026)
    started = time.perf_counter()
    cohort, members = seed_members(200)
    services.ensure_cohort_boards([cohort])
    lounge = Board.objects.create(name="Lounge", slug="bench-lounge")
    workforce = Board.objects.create(
        name="Workforce", slug="bench-workforce", records_mode=RecordsMode.OFF_THE_RECORD
    )
    boards = [cohort.board, lounge, workforce]
    seed_posts(posts, boards, members, rng)
    print(f"Seeded {Post.objects.count()} posts in {time.perf_counter() - started:.0f} s")

    # One long thread of 500 posts, with reactions on some.
    long = services.start_thread(
        board=cohort.board, author=members[0], title="Long thread", body="Opening."
    )
    for n in range(499):
        services.post_reply(thread=long, author=members[n % 50], body=sentence(rng, 40))
    for post in Post.objects.filter(thread=long)[:200]:
        services.toggle_reaction(post=post, member=members[1], kind="agree")
    return long, members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument("--reuse", action="store_true", help="time the posts already seeded")
    parser.add_argument(
        "--profile", action="store_true", help="also profile one thread page and one search"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (run through tests/services.py).")
    call_command("migrate", verbosity=0)
    long = Thread.objects.filter(title="Long thread").first() if args.reuse else None
    if long is not None:
        members = list(Member.objects.filter(user__email__startswith="bench-d").order_by("pk"))
    else:
        long, members = seed(args.posts)
    # DEBUG off as in production (with it on, every query is also logged in memory).
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    client = Client()
    client.force_login(members[3].user)
    print(f"\n{'page':<28} {'p50 ms':>8} {'p95 ms':>8}")
    url = f"/discussions/t/{long.pk}/"
    for label, params in {
        "thread, 500 posts, page 1": {"page": 1},
        "thread, 500 posts, last": {"page": 10},
    }.items():
        p50, p95 = timed(client, url, params, args.repeats)
        print(f"{label:<28} {p50:>8.1f} {p95:>8.1f}")
    print(f"\n{'search':<28} {'results':>8} {'p50 ms':>8} {'p95 ms':>8}  query")
    for label, params in SEARCHES.items():
        p50, p95 = timed(client, "/discussions/search/", params, args.repeats)
        board = Board.objects.filter(slug=params.get("board", "")).first()
        found = searching.search_posts(members[3].user, params["q"], board=board)
        total = searching.CappedPaginator(found, 20).count
        query = "&".join(f"{k}={v}" for k, v in params.items())
        print(f"{label:<28} {total:>8} {p50:>8.1f} {p95:>8.1f}  {query}")
    if args.profile:
        profile(client, url, {"page": 1})
        profile(client, "/discussions/search/", SEARCHES["common word"])
    user = members[3].user
    for label, params in SEARCHES.items():
        board = Board.objects.filter(slug=params.get("board", "")).first()
        posts = searching.search_posts(user, params["q"], board=board)[:20]
        print(f"\n=== EXPLAIN ANALYZE: {label} ===")
        print(posts.explain(analyze=True))


if __name__ == "__main__":
    main()
