"""The console's figures against the hand-counted cohort of tests/console/conftest.py."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from messaging.discussions import services as discussions
from messaging.discussions.models import Board
from network import console
from network.models import CohortWeek, MemberDay, Tie
from tests.console.conftest import summarise_everything


def test_members_and_invitations_are_counted(world, story):
    figures = console.figures([world.cohort.pk], names=True)
    assert figures.members == 5
    assert figures.invitations == {"accepted": 1, "pending": 2, "expired": 1, "revoked": 1}


def test_posts_count_off_the_record_ones_and_those_of_members_who_left(world, story):
    (week,) = console.figures([world.cohort.pk], names=True).weeks
    assert (week["posts"], week["off_record"], week["messages"]) == (5, 2, 3)


def test_active_members_are_current_members_with_an_active_day(world, story):
    figures = console.figures([world.cohort.pk], names=True)
    assert (figures.active_week, figures.active_month) == (4, 4)


def test_off_the_record_posts_give_no_active_day(world, story):
    # Gus replied off the record today; his only active day is his RSVP three days ago.
    days_of_gus = list(MemberDay.objects.filter(member=story.gus).values_list("day", flat=True))
    assert days_of_gus == [(timezone.now() - timedelta(days=3)).date()]


def test_ties_cross_agencies_between_current_members_only(world, story):
    figures = console.figures([world.cohort.pk], names=True)
    assert figures.ties == 2
    assert figures.agency_pairs == [("DOE \u2013 DOT", 2)]
    assert sorted(figures.agency_links) == [("DOE", 2), ("DOT", 2)]
    assert [m.name for m in figures.untied] == ["Gus Quiet", "Hal Silent"]
    assert figures.untied_count == 2


def test_off_the_record_spaces_make_no_tie(world, story):
    pairs = {tuple(sorted(p)) for p in Tie.objects.values_list("low", "high")}
    assert tuple(sorted((story.gus.pk, story.dee.pk))) not in pairs  # off-the-record reply
    assert tuple(sorted((story.gus.pk, story.bo.pk))) not in pairs  # off-the-record event


def test_attendance_counts_past_events(world, story):
    figures = console.figures([world.cohort.pk], names=True)
    assert (figures.rsvp_going, figures.rsvp_attended) == (5, 4)
    assert sorted((e.title, e.going, e.attended) for e in figures.events) == [
        ("Closed dinner", 2, 2),
        ("Open roundtable", 3, 2),
    ]


def test_composition_by_agency_and_type(world, story):
    figures = console.figures([world.cohort.pk], names=True)
    assert dict(figures.by_agency) == {"DOE": 2, "NASA": 2, "DOT": 1}
    assert sum(n for _, n in figures.by_type) == 5


def test_quiet_members_are_those_without_an_active_day_in_30_days(world, story):
    rows = console.inactive_members([world.cohort.pk])
    assert [(r["member"].name, r["nudgeable"]) for r in rows] == [("Hal Silent", True)]
    assert rows[0]["last_day"] == (timezone.now() - timedelta(days=40)).date()


def test_the_summary_tasks_count_each_row_once_however_often_they_run(world, story):
    before = list(CohortWeek.objects.values_list("posts", "messages"))
    summarise_everything()
    summarise_everything()
    assert list(CohortWeek.objects.values_list("posts", "messages")) == before


def test_the_summary_tasks_add_only_what_is_new(world, story):
    board = Board.objects.get(cohort=world.cohort)
    discussions.start_thread(board=board, author=story.hal, title="Back", body="Hello again")
    summarise_everything()
    (week,) = console.figures([world.cohort.pk], names=True).weeks
    assert week["posts"] == 6
    assert console.inactive_members([world.cohort.pk]) == []


def test_a_program_console_adds_up_its_cohorts(world, story):
    figures = console.figures(world.cohort.program.cohorts.values("pk"), names=False)
    assert (figures.members, figures.ties, figures.untied_count) == (5, 2, 2)
    assert figures.untied == []
