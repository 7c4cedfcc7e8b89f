"""An import whose worker died is shown as failed with a Retry button to its manager; a retry
(or the broker re-delivering the task) picks up after the last whole chunk and invites nobody
twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network import services
from network.models import ImportStatus, Invitation, RosterImport
from network.services import imports
from network.tasks import run_roster_import

ROWS = 250  # three chunks of 100


def make_import(world) -> RosterImport:
    text = "\n".join(f"Person {n},p{n}@example.gov" for n in range(ROWS))
    return RosterImport.objects.create(
        cohort=world.cohort, created_by=world.manager, content=text, total_rows=ROWS
    )


def test_an_import_that_stopped_moving_shows_failed_with_retry_and_retry_finishes_it(
    world, client_for, django_capture_on_commit_callbacks
):
    roster_import = make_import(world)
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=20)
    )
    client = client_for("manager")
    page = client.get(reverse("network:import", args=[world.cohort.slug, roster_import.pk]))
    assert "Failed" in page.content.decode() and ">Retry</button>" in page.content.decode()
    progress = client.get(
        reverse("network:import_progress", args=[world.cohort.slug, roster_import.pk])
    ).json()
    assert progress["status"] == "failed" and progress["done"] is True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:import_retry", args=[world.cohort.slug, roster_import.pk]))
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.DONE and roster_import.invited == ROWS
    page = client.get(reverse("network:import", args=[world.cohort.slug, roster_import.pk]))
    assert ">Retry</button>" not in page.content.decode()


def test_a_running_import_with_a_fresh_heartbeat_is_not_called_failed(world):
    roster_import = make_import(world)
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=2)
    )
    roster_import.refresh_from_db()
    assert roster_import.shown_status == ImportStatus.RUNNING and not roster_import.can_retry
    assert not services.retry_roster_import(roster_import=roster_import, actor=world.manager.user)


def test_a_run_that_dies_mid_way_resumes_after_the_last_chunk_and_mails_each_person_once(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    roster_import = make_import(world)
    real = imports.invite_people
    calls = {"n": 0}

    def dies_on_the_second_chunk(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("the worker's database connection dropped")
        return real(**kwargs)

    monkeypatch.setattr(imports, "invite_people", dies_on_the_second_chunk)
    mail.outbox.clear()
    with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
        run_roster_import(roster_import.pk)
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.FAILED and roster_import.processed_rows == 100
    assert roster_import.can_retry
    monkeypatch.setattr(imports, "invite_people", real)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_roster_import(roster_import=roster_import, actor=world.manager.user)
    with django_capture_on_commit_callbacks(execute=True):
        run_roster_import(roster_import.pk)  # the broker re-delivering the same task: no-op
    roster_import.refresh_from_db()
    assert roster_import.status == ImportStatus.DONE
    assert roster_import.invited == ROWS and roster_import.skipped == 0
    assert Invitation.objects.filter(cohort=world.cohort).count() == ROWS
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == ROWS and len(set(addresses)) == ROWS
