"""The snapshot task costs what changed: it recomputes the consoles whose members were active,
tied or changed since its last run, every console on a new day or after an hour, and no other."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from network import summaries
from network.models import (
    Agency,
    CohortMembership,
    ConsoleSnapshot,
    Member,
    MemberDay,
    Tie,
)


def stored(cohort) -> dict:
    return ConsoleSnapshot.objects.get(cohort=cohort).figures


def test_a_run_with_nothing_new_recomputes_nothing(world, story):
    assert summaries.refresh_snapshots() == 0


def test_a_new_active_day_recomputes_that_members_cohort_and_program_only(world, story):
    other = ConsoleSnapshot.objects.get(cohort=world.other_cohort).computed_at
    MemberDay.objects.create(member=story.hal, day=timezone.now().date())
    assert summaries.refresh_snapshots() == 2  # Class of 2026 and its program
    assert stored(world.cohort)["active_week"] == 5
    assert ConsoleSnapshot.objects.get(cohort=world.other_cohort).computed_at == other
    assert summaries.refresh_snapshots() == 0


def test_a_new_tie_recomputes_the_cohort(world, story):
    low, high = sorted((story.gus.pk, story.ada.pk))
    Tie.objects.create(low_id=low, high_id=high, first_at=timezone.now())
    assert summaries.refresh_snapshots() == 2
    assert stored(world.cohort)["ties"] == 3


def test_members_leaving_or_changing_agency_however_it_is_written_recompute_it(world, story):
    CohortMembership.objects.filter(member=story.gus).delete()  # not through the service
    assert summaries.refresh_snapshots() == 2
    assert stored(world.cohort)["members"] == 4
    Member.objects.filter(pk=story.hal.pk).update(agency=Agency.objects.get(acronym="DOT"))
    assert summaries.refresh_snapshots() == 2
    assert dict(map(tuple, stored(world.cohort)["by_agency"])) == {"DOE": 2, "DOT": 2}


def test_every_snapshot_is_recomputed_when_an_hour_old(world, story):
    count = ConsoleSnapshot.objects.count()
    earlier = timezone.now() - summaries.FULL_REFRESH - timedelta(minutes=1)
    ConsoleSnapshot.objects.update(computed_at=earlier)
    assert summaries.refresh_snapshots() == count


def test_every_snapshot_is_recomputed_on_a_new_day(world, story):
    count = ConsoleSnapshot.objects.count()
    ConsoleSnapshot.objects.update(computed_at=timezone.now() - timedelta(days=1))
    assert summaries.refresh_snapshots() == count
