"""Accounts and content for the load test and the soak (bench/locustfile.py).

    .venv/bin/python bench/load_seed.py --members 200 --out var/prod/load/accounts.json

Run with the environment of the site under test (bench/loadtest.py does). On top of the demo
(seed_demo, seed_events_demo) it makes N ordinary members, load-NNN@load.convene.test, spread
over the demo cohorts, each cohort's chat room and board with a few threads, and one upcoming
event per cohort; then signs each load member in (a database session, as a browser's sign-in
leaves) and writes the cookies and the ids the simulated members use.

The load members are plain members, for whom Convene never asks for a second factor, so no
MFA exemption is needed or made. Their accounts have no usable password: the sessions made
here are the only way in, and they end like any other (idle timeout, sign-out).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from events import demo as events_demo  # noqa: E402
from events.models import Event  # noqa: E402
from messaging.discussions import services as discussions  # noqa: E402
from messaging.discussions.models import Board, Thread  # noqa: E402
from messaging.models import Room  # noqa: E402
from messaging.services.chat import ensure_cohort_rooms  # noqa: E402
from network import demo  # noqa: E402
from network.models import Agency, Cohort, CohortMembership, Member, MemberType  # noqa: E402

DOMAIN = "load.convene.test"
THREADS_PER_BOARD = 5


def load_members(count: int, cohorts: list[Cohort]) -> dict[Cohort, list[Member]]:
    rng = random.Random(18)
    agencies = list(Agency.objects.filter(sector="federal"))
    members: dict[Cohort, list[Member]] = {}
    for index in range(count):
        cohort = cohorts[index % len(cohorts)]
        user = demo._account(f"load-{index:03d}@{DOMAIN}", password=None)
        member, _ = Member.objects.get_or_create(
            user=user,
            defaults={
                "name": f"Load Member {index:03d}",
                "member_type": MemberType.CAREER,
                "agency": rng.choice(agencies),
                "headline": f"{rng.choice(demo.TITLES)}, load test",
                "time_zone": rng.choice(demo.TIME_ZONES),
            },
        )
        CohortMembership.objects.get_or_create(cohort=cohort, member=member)
        members.setdefault(cohort, []).append(member)
    demo._enrich([m for people in members.values() for m in people], rng)
    return members


def cohort_content(cohort: Cohort, members: list[Member]) -> dict:
    """The cohort's room, board (with threads) and an upcoming event, made once."""
    for member in members:
        ensure_cohort_rooms(member=member)
    discussions.ensure_cohort_boards([cohort])
    board = Board.objects.get(cohort=cohort)
    for n in range(Thread.objects.filter(board=board).count(), THREADS_PER_BOARD):
        discussions.start_thread(
            board=board,
            author=members[n % len(members)],
            title=f"Load thread {n + 1}: what is working in {cohort.name}",
            body="Share what worked this quarter. *Short answers welcome.*",
        )
    start = timezone.now() + timedelta(days=10)
    event = events_demo._event(
        cohort,
        members[0],
        f"Load roundtable for {cohort.name}",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        time_zone="America/New_York",
        address="1800 F Street NW, Washington, DC 20405",
        capacity=10,
    )
    return {
        "room": Room.objects.get(cohort=cohort).pk,
        "board": board.slug,
        "threads": list(Thread.objects.filter(board=board).values_list("pk", flat=True)[:20]),
        "events": [event.pk, *Event.objects.filter(cohort=None).values_list("pk", flat=True)[:3]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    call_command("seed_demo", verbosity=0)
    call_command("seed_events_demo", verbosity=0)
    cohorts = list(Cohort.objects.filter(program__slug__in=[p[1] for p in demo.PROGRAMS]))
    accounts = []
    for cohort, members in load_members(args.members, cohorts).items():
        content = cohort_content(cohort, members)
        for member in members:
            client = Client()
            client.force_login(member.user)
            accounts.append(
                {
                    "email": member.user.email,
                    "member": member.pk,
                    "cookie": client.cookies["sessionid"].value,
                    **content,
                }
            )
    accounts.sort(key=lambda account: account["email"])
    profiles = list(Member.objects.values_list("pk", flat=True)[:500])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"accounts": accounts, "profiles": profiles}))
    print(f"{len(accounts)} load members signed in; {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
