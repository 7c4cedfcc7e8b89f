"""A Celery worker killed with SIGKILL in the middle of a roster import leaves no job stuck:
Redis hands the unacknowledged task to another worker once the visibility timeout passes, the
import resumes after its last whole chunk, and every invited person gets exactly one e-mail.

Real processes: two `celery worker` runs in turn against the wrapper's Redis and the test
database, sending through a small SMTP sink."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app as celery_app
from network.models import ImportStatus, Invitation, RosterImport
from tests.factories import CohortFactory, MemberFactory
from tests.load.servers import database_url_of, server_env
from tests.load.smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
ROWS = 1500
VISIBILITY = 6


def worker(database_url: str, sink: SmtpSink, **extra: str) -> subprocess.Popen:
    """A real `celery worker` on the test database and the wrapper's Redis, mailing the sink."""
    env = server_env(
        database_url,
        CELERY_VISIBILITY_SECONDS=str(VISIBILITY),
        CELERY_RESTORE_SECONDS="1",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        EMAIL_USE_TLS="false",
        SITE_URL="https://convene.example.org",
        **extra,
    )
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
    quiet = ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"]
    return subprocess.Popen([*command, *quiet], cwd=ROOT, env=env)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def progress(pk: int) -> RosterImport:
    return RosterImport.objects.get(pk=pk)


def test_an_import_whose_worker_was_killed_finishes_on_another_and_mails_each_person_once():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: run through tests/services.py")
    manager = MemberFactory()
    cohort = CohortFactory()
    text = "\n".join(f"Person {n},p{n}@example.gov" for n in range(ROWS))
    job = RosterImport.objects.create(
        cohort=cohort, created_by=manager, content=text, total_rows=ROWS
    )
    database_url = database_url_of(connection.settings_dict)
    with SmtpSink() as sink:
        first = worker(database_url, sink)
        try:
            celery_app.send_task("network.tasks.run_roster_import", args=[job.pk])
            wait_until(lambda: progress(job.pk).processed_rows >= 200, 120, "a few chunks")
            first.send_signal(signal.SIGKILL)  # mid-import, no chance to clean up
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        killed_at = progress(job.pk)
        assert killed_at.status == ImportStatus.RUNNING and killed_at.processed_rows < ROWS

        second = worker(database_url, sink)
        try:
            wait_until(
                lambda: progress(job.pk).status == ImportStatus.DONE,
                VISIBILITY + 90,
                "the import to be re-delivered and finished",
            )
            # The kill can fall between a chunk's commit and queueing its e-mails: beat's sweep
            # (run here at once, and so racing the tasks still queued) sends what was lost.
            celery_app.send_task("network.tasks.send_unsent_invitations", args=[0])
            wait_until(lambda: len(sink.messages) >= ROWS, 120, "every invitation e-mail")
            time.sleep(2)  # anything sent twice would arrive now
        finally:
            second.terminate()
            second.wait(20)

    done = progress(job.pk)
    assert done.invited == ROWS and done.skipped == 0
    assert Invitation.objects.filter(cohort=cohort).count() == ROWS
    recipients = Counter(str(message["To"]) for message in sink.messages)
    assert len(recipients) == ROWS and max(recipients.values()) == 1
    sample = sink.messages[0]
    assert sample.get_content_type() == "multipart/alternative"
    assert "https://convene.example.org/" in sample.get_body(("plain",)).get_content()
