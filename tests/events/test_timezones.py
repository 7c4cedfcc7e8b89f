# ruff: noqa: RUF001 - the en dash is what people read between start and end times
"""Times read right for the planner and the viewer on both sides of daylight-saving changes.

2026: New York springs forward on March 8 and falls back on November 1; London on March 29
and October 25; Honolulu never changes. Between those dates the gap between the cities moves.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from network.timezones import (
    AmbiguousTime,
    NonexistentTime,
    describe,
    describe_moment,
    to_utc,
)
from tests.events.builders import utc

NY, HNL, LON = "America/New_York", "Pacific/Honolulu", "Europe/London"


@pytest.mark.parametrize(
    ("wall", "expected_utc", "abbr", "viewer_text"),
    [
        # Winter on both sides: five hours apart.
        (datetime(2026, 3, 5, 14), utc(2026, 3, 5, 19), "EST", "7:00 PM – 8:00 PM your time"),
        # New York has sprung forward, London not yet: four hours apart for three weeks.
        (datetime(2026, 3, 12, 14), utc(2026, 3, 12, 18), "EDT", "6:00 PM – 7:00 PM your time"),
        # Both on summer time: five hours again.
        (datetime(2026, 4, 2, 14), utc(2026, 4, 2, 18), "EDT", "7:00 PM – 8:00 PM your time"),
        # London has fallen back, New York not yet: four hours for a week.
        (datetime(2026, 10, 29, 14), utc(2026, 10, 29, 18), "EDT", "6:00 PM – 7:00 PM your time"),
        (datetime(2026, 11, 5, 14), utc(2026, 11, 5, 19), "EST", "7:00 PM – 8:00 PM your time"),
    ],
)
def test_new_york_event_reads_right_in_london_across_both_changes(
    wall, expected_utc, abbr, viewer_text
):
    start = to_utc(wall, NY)
    assert start == expected_utc
    text = describe(start, to_utc(wall.replace(hour=15), NY), NY, LON)
    planner, viewer = text.split(" · ")
    assert planner.endswith(f"2:00 PM – 3:00 PM {abbr}")
    assert viewer == viewer_text


def test_the_issue_example_reads_as_promised():
    start = to_utc(datetime(2026, 1, 13, 14), NY)
    assert describe_moment(start, NY, "America/Los_Angeles") == (
        "Tue, Jan 13, 2026, 2:00 PM EST · 11:00 AM your time"
    )


@pytest.mark.parametrize(
    ("wall", "expected_utc", "london"),
    [
        (datetime(2026, 3, 5, 9), utc(2026, 3, 5, 19), "7:00 PM – 10:00 PM your time"),
        (datetime(2026, 4, 1, 9), utc(2026, 4, 1, 19), "8:00 PM – 11:00 PM your time"),
        (datetime(2026, 10, 27, 9), utc(2026, 10, 27, 19), "7:00 PM – 10:00 PM your time"),
    ],
)
def test_honolulu_has_no_daylight_saving_but_london_does(wall, expected_utc, london):
    start = to_utc(wall, HNL)
    assert start == expected_utc
    text = describe(start, to_utc(wall.replace(hour=12), HNL), HNL, LON)
    assert text.split(" · ")[0].endswith("9:00 AM – 12:00 PM HST")
    assert text.split(" · ")[1] == london


def test_viewer_on_another_day_sees_their_day_named():
    start = to_utc(datetime(2026, 6, 1, 16), HNL)  # 4 PM in Honolulu is 3 AM next day in London
    text = describe(start, None, HNL, LON)
    assert text == "Mon, Jun 1, 2026, 4:00 PM HST · Tue, Jun 2, 2026, 3:00 AM your time"


def test_same_zone_shows_one_time_only():
    start = to_utc(datetime(2026, 3, 12, 14), NY)
    assert describe(start, None, NY, NY) == "Thu, Mar 12, 2026, 2:00 PM EDT"
    assert "your time" not in describe(start, None, NY, "America/Detroit")


def test_a_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(NonexistentTime, match="does not exist"):
        to_utc(datetime(2026, 3, 8, 2, 30), NY)


def test_an_autumn_time_that_happens_twice_must_say_which():
    with pytest.raises(AmbiguousTime, match="happens twice"):
        to_utc(datetime(2026, 11, 1, 1, 30), NY)
    assert to_utc(datetime(2026, 11, 1, 1, 30), NY, fold=0) == utc(2026, 11, 1, 5, 30)  # EDT
    assert to_utc(datetime(2026, 11, 1, 1, 30), NY, fold=1) == utc(2026, 11, 1, 6, 30)  # EST
    assert to_utc(datetime(2026, 11, 1, 1, 30), "Asia/Kolkata") == utc(2026, 10, 31, 20, 0)
    assert describe_moment(utc(2026, 11, 1, 6, 30), NY, None).endswith("1:30 AM EST")


@pytest.mark.parametrize("zone_name", [NY, HNL, LON])
@pytest.mark.parametrize("with_time", [True, False])
def test_a_timestamp_reads_as_djangos_date_filter_writes_it(zone_name, with_time):
    """network.timezones.timestamp writes the thread page's and search results' dates itself
    (the filter was a twentieth of a thread page); it must read exactly as the filter does,
    every month, at midnight, noon and each hour between, across the daylight-saving dates."""
    from django.utils import dateformat, timezone

    from network.timezones import timestamp

    shown = "M j, Y, g:i a" if with_time else "M j, Y"
    moments = [
        utc(2026, month, 1, hour, 7 * hour % 60) for month in range(1, 13) for hour in range(24)
    ]
    moments += [
        utc(2026, 3, 8, 6, 59),
        utc(2026, 3, 8, 7),
        utc(2026, 11, 1, 5, 30),
        utc(2026, 11, 1, 6, 30),
    ]
    with timezone.override(zone_name):
        for moment in moments:
            local = timezone.localtime(moment)
            assert timestamp(moment, with_time=with_time) == (
                local.isoformat(),
                dateformat.format(local, shown),
            ), moment
