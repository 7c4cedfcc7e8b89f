"""RSVP throughput with the event row lock, one thread against eight (not part of the suite).

    .venv/bin/python tests/services.py -- .venv/bin/python -m pytest tests/events/bench_rsvp.py \
        -p no:cacheprovider -q -s

Tasks are queued to the real Redis broker (no worker), as the web processes do.
"""

from __future__ import annotations

import statistics
import threading
import time

import pytest
from django.db import connections

from config.celery import app as celery_app
from events import services
from events.models import RSVPStatus
from tests.events.builders import make_event
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = 200


def answer_from_threads(event, members, threads: int) -> tuple[float, list[float]]:
    chunks = [members[i::threads] for i in range(threads)]
    latencies: list[float] = []
    barrier = threading.Barrier(threads)

    def work(chunk) -> None:
        barrier.wait()
        for member in chunk:
            began = time.perf_counter()
            services.rsvp(event=event, member=member, going=True)
            latencies.append(time.perf_counter() - began)
        connections.close_all()

    workers = [threading.Thread(target=work, args=(chunk,)) for chunk in chunks]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began, sorted(latencies)


@pytest.mark.parametrize("threads", [1, 8])
def test_rsvp_rate(threads: int) -> None:
    celery_app.conf.task_always_eager = False
    cohort = CohortFactory()
    members = [MemberFactory() for _ in range(PEOPLE)]
    for member in members:
        MembershipFactory(cohort=cohort, member=member)
    event = make_event(cohort, capacity=PEOPLE // 2)
    wall, latencies = answer_from_threads(event, members, threads)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(
        f"\nthreads={threads} rsvps={PEOPLE} {PEOPLE / wall:.0f}/s p50={p50:.1f}ms p99={p99:.1f}ms"
    )
    assert event.rsvps.filter(status=RSVPStatus.GOING).count() == PEOPLE // 2
