"""The personal feed read by a second parser, Mozilla's ical.js (Thunderbird), besides
icalendar: every event lands at the same instant across daylight-saving changes a year and two
out, in zones with and without daylight saving, and the refresh hints are valid durations."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import ical, services
from tests.events.builders import make_event

READER = Path(__file__).with_name("icaljs_read.mjs")
# Around the changes in each hemisphere, and zones that never change.
ZONES = {
    "America/New_York": [(3, 13, 12), (3, 20, 10), (7, 4, 12), (11, 6, 12), (11, 13, 9)],
    "Europe/London": [(3, 27, 12), (4, 3, 9), (10, 30, 12), (11, 6, 9)],
    "Australia/Sydney": [(4, 3, 12), (4, 10, 9), (10, 2, 12), (10, 9, 9)],
    "Asia/Kolkata": [(1, 15, 9), (7, 15, 9)],
    "America/Phoenix": [(3, 20, 10), (11, 13, 10)],
}


def read_with_icaljs(content: bytes) -> dict:
    node = shutil.which("node")
    assert node, "node is needed to run Mozilla's ical.js"
    assert (Path(settings.BASE_DIR) / "node_modules/ical.js").exists(), (
        "install it: npm install ical.js (2.x)"
    )
    done = subprocess.run(
        [node, str(READER)], input=content, capture_output=True, check=True, timeout=60
    )
    return json.loads(done.stdout)


def test_the_feed_reads_the_same_in_ical_js_and_icalendar_a_year_and_two_out(world, client_for):
    next_year = timezone.now().year + 1
    expected: dict[str, datetime] = {}
    for zone_name, days in ZONES.items():
        for year in (next_year, next_year + 1):
            for month, day, hour in days:
                start = datetime(year, month, day, hour, tzinfo=ZoneInfo(zone_name))
                title = f"{zone_name} {start:%Y-%m-%d %H:%M}"
                event = make_event(world.cohort, title=title, start=start, time_zone=zone_name)
                services.rsvp(event=event, member=world.member, going=True)
                expected[title] = start
    feed = services.get_or_create_feed(member=world.member)
    content = client_for("anonymous").get(reverse("events:feed", args=[feed.token])).content

    mozilla = read_with_icaljs(content)
    by_title = {e["summary"]: e for e in mozilla["events"]}
    assert set(by_title) == set(expected)
    for title, start in expected.items():
        assert by_title[title]["start"] == int(start.timestamp()), title
        assert by_title[title]["end"] - by_title[title]["start"] == 3600, title
    for name in ("x-published-ttl", "refresh-interval"):
        assert mozilla["properties"][name]["seconds"] == 3600, mozilla["properties"]

    python = Calendar.from_ical(content)
    for vevent in python.walk("VEVENT"):
        assert vevent.decoded("DTSTART") == expected[str(vevent["SUMMARY"])]


def test_every_rdate_line_holds_one_date_and_refresh_is_pt1h(world):
    start = datetime(timezone.now().year + 1, 3, 20, 10, tzinfo=ZoneInfo("America/New_York"))
    event = make_event(world.cohort, start=start)
    text = ical.calendar([event], show_location=True, name="Mine").decode()
    lines = text.replace("\r\n ", "").splitlines()
    rdates = [line for line in lines if line.startswith("RDATE")]
    assert rdates and all("," not in line for line in rdates)
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines


@pytest.mark.parametrize("cancel", [False, True])
def test_an_invitation_and_its_cancellation_read_the_same_in_ical_js(world, cancel):
    start = datetime(timezone.now().year + 1, 11, 13, 9, tzinfo=ZoneInfo("America/New_York"))
    event = make_event(world.cohort, start=start)
    event.sequence = 3
    content = ical.invitation(event, attendee_email="a@example.gov", cancel=cancel)
    mozilla = read_with_icaljs(content)
    (read,) = mozilla["events"]
    assert mozilla["properties"]["method"]["text"] == ("CANCEL" if cancel else "REQUEST")
    assert read["start"] == int(start.timestamp()) and read["sequence"] == 3
    assert read["tzid"] == "America/New_York"
    assert timedelta(seconds=read["end"] - read["start"]) == timedelta(hours=1)
