"""Directory benchmark: seed members on PostgreSQL, time typical searches, show the plans.

    .venv/bin/python tests/services.py -- .venv/bin/python bench/directory.py \
        [--members 100000] [--repeats 100] [--json] [--explain]

Needs DATABASE_URL pointing at an empty PostgreSQL database and REDIS_URL (tests/services.py makes
throwaway ones). Seeds the members in bulk, then requests the directory page through Django's
test client as a signed-in member (the whole view: middleware, queries and template) and prints
p50/p95 server time per class of search, right after a profile change (saved through the
service, which retires the shared counts of that member's block) and warm, with the process's
resident memory before and after. With --explain, EXPLAIN ANALYZE of each class's queries
follows. With --json the last line is one JSON object:
{"members": N, "classes": {"text": {"changed": {"p50": .., "p95": ..}, "warm": {..}}, ..},
 "rss_mb": {"before": .., "after": ..}}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from network import access, demo, directory, services  # noqa: E402
from network.forms import DirectoryForm  # noqa: E402
from network.models import (  # noqa: E402
    Cohort,
    CohortMembership,
    Member,
    MemberType,
    Program,
    Tag,
    User,
    Visibility,
)
from network.services.profiles import search_vector_expression  # noqa: E402

SEARCHES = {
    "text": {"q": "workforce retention"},
    "name": {"q": "Okafor"},
    "filter": {"agency": "HHS", "member_type": "career"},
    "tag_filter": {"challenge": "ai-adoption", "time_zone": "America/Chicago"},
    "text_filters": {"q": "cybersecurity", "agency": "DHS", "member_type": "appointee"},
    "no_filter": {},
    "misspelt_name": {"q": "Okafr"},
    "phrase": {"q": '"workforce retention"'},
}
BATCH = 5000


def seed(count: int, rng: random.Random) -> User:
    agencies = [a for a in demo.load_agencies().values() if a.sector == "federal"]
    program, _ = Program.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    cohorts = [
        Cohort.objects.get_or_create(
            slug=f"bench-{n}", defaults={"program": program, "name": f"Bench {n}"}
        )[0]
        for n in range(50)
    ]
    tags = {
        name: Tag.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in demo.CHALLENGES + demo.EXPERTISE
    }
    types = list(MemberType.values)
    visibilities = [Visibility.NETWORK] * 16 + [Visibility.COHORTS] * 3 + [Visibility.HIDDEN]
    for start in range(0, count, BATCH):
        with transaction.atomic():
            size = min(BATCH, count - start)
            users = User.objects.bulk_create(
                User(email=f"bench{start + i}@example.gov", password="!")  # noqa: S106
                for i in range(size)
            )
            members, challenge_rows, expertise_rows, memberships = [], [], [], []
            for i, user in enumerate(users):
                n = start + i
                first = demo.FIRST[n % len(demo.FIRST)]
                last = demo.LAST[(n // 7) % len(demo.LAST)]
                agency = rng.choice(agencies)
                challenges = rng.sample(demo.CHALLENGES, 2)
                expertise = rng.sample(demo.EXPERTISE, 2)
                title = rng.choice(demo.TITLES)
                members.append(
                    Member(
                        user=user, name=f"{first} {last} {n}", member_type=rng.choice(types),
                        agency=agency, headline=f"{title}, {agency.acronym}",
                        time_zone=rng.choice(demo.TIME_ZONES), visibility=rng.choice(visibilities),
                        bio=f"Working on {challenges[0].lower()} at {agency.name}.",
                        search_text=" ".join([f"{first} {last}", title, agency.name, agency.acronym,
                                              *challenges, *expertise]),
                    )
                )  # fmt: skip
                challenge_rows.append(challenges)
                expertise_rows.append(expertise)
            members = Member.objects.bulk_create(members)
            through_c, through_e = Member.challenges.through, Member.expertise.through
            through_c.objects.bulk_create(
                through_c(member_id=m.pk, tag_id=tags[t].pk)
                for m, names in zip(members, challenge_rows, strict=True)
                for t in names
            )
            through_e.objects.bulk_create(
                through_e(member_id=m.pk, tag_id=tags[t].pk)
                for m, names in zip(members, expertise_rows, strict=True)
                for t in names
            )
            memberships = [CohortMembership(cohort=rng.choice(cohorts), member=m) for m in members]
            CohortMembership.objects.bulk_create(memberships)
        print(f"  seeded {start + size} members", file=sys.stderr)
    Member.objects.update(search_vector=search_vector_expression())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    viewer = Member.objects.filter(visibility=Visibility.NETWORK).order_by("pk").first()
    return viewer.user


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def timed(
    client: Client, params: dict, repeats: int, *, before=None, cpu: list[float] | None = None
) -> list[float]:
    """Server time per request in ms; ``cpu`` collects the web process's own CPU time of each
    (what a busy shared machine does not inflate: the database's time is not in it)."""
    samples = []
    for n in range(repeats):
        if before is not None:
            before(n)
        started, used = time.perf_counter(), time.process_time()
        response = client.get("/directory/", params)
        samples.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, response.status_code
    return samples


def change_a_profile(n: int) -> None:
    """As a member editing their profile does: the service saves it and retires the shared
    counts of its block of members."""
    member = Member.objects.order_by("pk")[1000 + n * 37]
    services.update_profile(
        member=member, fields={"headline": f"Deputy Director, round {n}"},
        expertise=[t.name for t in member.expertise.all()],
        challenges=[t.name for t in member.challenges.all()],
    )  # fmt: skip


def summary(samples: list[float]) -> dict[str, float]:
    return {"p50": round(percentile(samples, 50), 1), "p95": round(percentile(samples, 95), 1)}


def time_searches(user: User, repeats: int) -> tuple[dict, dict]:
    client = Client()
    client.force_login(user)
    client.get("/directory/")  # the session's one-off checks
    before = resident_mb()
    classes = {}
    print(f"\n{'search':<14} {'results':>8} {'changed p50':>12} {'changed p95':>12} "
          f"{'warm p50':>9} {'warm p95':>9} {'web CPU p50':>11}  query string")  # fmt: skip
    for label, params in SEARCHES.items():
        client.get("/directory/", params)
        changed = timed(client, params, repeats, before=change_a_profile)
        cpu: list[float] = []
        warm = timed(client, params, repeats, cpu=cpu)
        total = directory.search(user, DirectoryForm(params).filters()).total
        classes[label] = {"changed": summary(changed), "warm": summary(warm)}
        query = "&".join(f"{k}={v}" for k, v in params.items())
        print(
            f"{label:<14} {total:>8} {percentile(changed, 50):>12.1f} "
            f"{percentile(changed, 95):>12.1f} {percentile(warm, 50):>9.1f} "
            f"{percentile(warm, 95):>9.1f} {percentile(cpu, 50):>11.1f}  {query}"
        )
    return classes, {"before": round(before, 1), "after": round(resident_mb(), 1)}


def explain(user: User) -> None:
    """The plans of each class's queries: the page of rows, and the counts over everyone's part
    (all blocks at once, as after every block changed) and the viewer's own part."""
    for label, params in SEARCHES.items():
        filters = DirectoryForm(params).filters()
        tree, cohorts = directory.AgencyTree(), directory.visible_cohorts(user)
        wanted = directory.criteria(filters, tree, cohorts)
        everyone, own = access.visible_members_split(user)
        visible = directory.matching(access.visible_members(user), wanted)
        print(f"\n=== {label} ({params}) ===")
        started = time.perf_counter()
        directory.page_of(access.visible_members(user), wanted, filters, 0, tree)
        print(f"page of rows {(time.perf_counter() - started) * 1000:.1f} ms")
        for part, members in (("everyone", everyone), ("own", own)):
            started = time.perf_counter()
            directory.count_by_chunk(directory.matching(members, wanted))
            print(f"counts over {part}'s part {(time.perf_counter() - started) * 1000:.1f} ms")
        if filters.effective_sort == "relevance":
            unfiltered = replace(wanted, q="")
            rows = directory.matching(access.visible_members(user), unfiltered)
            with connection.cursor() as cursor:
                sql, params_ = directory.ranked_page(rows, filters.q, 0)
                cursor.execute("EXPLAIN ANALYZE " + sql, params_)
                plan = "\n".join(r[0] for r in cursor.fetchall())
        else:
            rows = visible.order_by(*directory.ORDERS[filters.effective_sort]).only("id")[:25]
            plan = rows.explain(analyze=True)
        print("--- page of rows\n" + plan)
        with connection.cursor() as cursor:
            sql, params_ = (
                directory.matching(everyone, wanted)
                .order_by()
                .values("id", "member_type", "agency_id", "time_zone")
                .query.sql_with_params()
            )
            cursor.execute(f"EXPLAIN ANALYZE SELECT count(*) FROM ({sql}) hits", params_)  # noqa: S608
            print("--- everyone's part, filtered\n" + "\n".join(r[0] for r in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=100)
    parser.add_argument(
        "--reuse", action="store_true", help="time the members already in the database"
    )
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json", action="store_true", help="end with one line of JSON")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (run through tests/services.py).")
    # A plain client, not the test environment's: that one copies every template context for
    # assertions, which costs more than the page itself. DEBUG off as in production.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if args.reuse and Member.objects.exists():
        user = Member.objects.filter(visibility=Visibility.NETWORK).order_by("pk").first().user
    else:
        started = time.perf_counter()
        user = seed(args.members, random.Random(2026))
        print(f"Seeded {Member.objects.count()} members in {time.perf_counter() - started:.0f} s")
    classes, rss = time_searches(user, args.repeats)
    if args.explain:
        explain(user)
    if args.json:
        result = {"members": Member.objects.count(), "classes": classes, "rss_mb": rss}
        print(json.dumps(result))


if __name__ == "__main__":
    main()
