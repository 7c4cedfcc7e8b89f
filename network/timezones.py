"""The one time-zone helper: zones, wall-clock input in a planning zone, times shown to a viewer.

Stored times are aware UTC. People plan in their own zone ("2 PM in New York") and read in
theirs; daylight-saving gaps and overlaps are decided here and nowhere else.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext

DEFAULT_ZONE = "America/New_York"
DASH = "\u2013"  # an en dash between the start and end of a span


class NonexistentTime(ValueError):
    """A wall-clock time skipped by a daylight-saving change (e.g. 2:30 AM on a spring night)."""


@cache
def zone_choices() -> list[tuple[str, str]]:
    names = sorted(n for n in available_timezones() if "/" in n and not n.startswith("Etc/"))
    return [(name, name.replace("_", " ")) for name in names]


def zone(name: str | None) -> ZoneInfo:
    """The named IANA zone; an unknown or empty name falls back to the network's default."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


class AmbiguousTime(ValueError):
    """A wall-clock time that happens twice (e.g. 1:30 AM on an autumn night, once in daylight
    time and an hour later in standard time): the person must say which one they mean."""

    def __init__(self, wall_clock: datetime, zone_name: str, first: datetime, second: datetime):
        self.first, self.second = first, second
        super().__init__(
            f"{wall_clock:%B %-d, %Y %-I:%M %p} happens twice in {zone_name}: the clocks go "
            f"back that night. Choose {clock(first)} {first.tzname()} (the first time) or "
            f"{clock(second)} {second.tzname()} (an hour later)."
        )

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [
            ("0", f"{clock(self.first)} {self.first.tzname()}, the first time"),
            ("1", f"{clock(self.second)} {self.second.tzname()}, an hour later"),
        ]


def to_utc(wall_clock: datetime, zone_name: str, *, fold: int | None = None) -> datetime:
    """A naive wall-clock time in ``zone_name`` as aware UTC.

    A time in the spring gap does not exist and is refused (NonexistentTime). A time in the
    autumn overlap is refused as AmbiguousTime unless ``fold`` says which occurrence is meant
    (0: the first, in daylight time; 1: the second, in standard time).
    """
    tz = zone(zone_name)
    wall = wall_clock.replace(tzinfo=None)
    first, second = wall.replace(tzinfo=tz, fold=0), wall.replace(tzinfo=tz, fold=1)
    utc = first.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != wall:
        raise NonexistentTime(
            f"{wall_clock:%B %-d, %Y %-I:%M %p} does not exist in {zone_name}: "
            "the clocks skip that hour for daylight saving time."
        )
    if first.utcoffset() == second.utcoffset():
        return utc
    if fold is None:
        raise AmbiguousTime(wall, zone_name, first, second)
    return (second if fold else first).astimezone(UTC)


def to_wall_clock(moment: datetime, zone_name: str) -> datetime:
    """An aware moment as a naive wall-clock time in ``zone_name`` (for form inputs)."""
    return moment.astimezone(zone(zone_name)).replace(tzinfo=None)


def clock(moment: datetime) -> str:
    return moment.strftime("%-I:%M %p")


def day(moment: datetime) -> str:
    return moment.strftime("%a, %b %-d, %Y")


def span(start: datetime, end: datetime, zone_name: str) -> tuple[datetime, datetime, str]:
    tz = zone(zone_name)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if end == start:
        return local_start, local_end, clock(local_start)
    text = f"{clock(local_start)} {DASH} {clock(local_end)}"
    if local_end.date() != local_start.date():
        text = f"{clock(local_start)} {DASH} {day(local_end)}, {clock(local_end)}"
    return local_start, local_end, text


def describe(
    start: datetime, end: datetime | None, planner_zone: str, viewer_zone: str | None
) -> str:
    """When something happens, in the planner's zone and, when it differs, the viewer's.

    "Tue, Mar 3, 2026, 2:00 PM to 3:00 PM EST · 11:00 AM to 12:00 PM your time" (with an en
    dash for "to"). The viewer's
    part names the day too when it is another day where they are.
    """
    end = end or start
    p_start, _, p_text = span(start, end, planner_zone)
    text = f"{day(p_start)}, {p_text} {p_start.tzname()}"
    if not viewer_zone:
        return text
    v_start, _, v_text = span(start, end, viewer_zone)
    same_clock = (
        v_start.replace(tzinfo=None) == p_start.replace(tzinfo=None)
        and v_start.tzname() == p_start.tzname()
    )
    if same_clock:
        return text
    if v_start.date() != p_start.date():
        v_text = f"{day(v_start)}, {v_text}"
    return f"{text} · {v_text} your time"


def describe_moment(moment: datetime, planner_zone: str, viewer_zone: str | None) -> str:
    """One instant (a deadline) the same way: "Mar 3, 2026, 5:00 PM EST · 10:00 PM your time"."""
    p = moment.astimezone(zone(planner_zone))
    text = f"{day(p)}, {clock(p)} {p.tzname()}"
    if not viewer_zone:
        return text
    v = moment.astimezone(zone(viewer_zone))
    if v.replace(tzinfo=None) == p.replace(tzinfo=None) and v.tzname() == p.tzname():
        return text
    prefix = f"{day(v)}, " if v.date() != p.date() else ""
    return f"{text} · {prefix}{clock(v)} your time"


def timestamp(moment: datetime, *, with_time: bool = True) -> tuple[str, str]:
    """An instant in the current time zone as a ``<time>`` element writes it: the ISO value and
    the text, "Dec 1, 2026, 2:34 p.m." (``with_time``) or "Dec 1, 2026".

    The text is what Django's ``date`` filter writes for "M j, Y, g:i a" and "M j, Y", with the
    same translated month and a.m./p.m.; written out here because the filter parses its format
    and checks the zone for every date, a twentieth of a thread page of 50 posts.
    """
    local = timezone.localtime(moment)
    text = f"{MONTHS_3[local.month].title()} {local.day}, {local.year:04d}"
    if with_time:
        hour = local.hour
        noon = gettext("p.m.") if hour > 11 else gettext("a.m.")
        text = f"{text}, {hour % 12 or 12}:{local.minute:02d} {noon}"
    return local.isoformat(), text
