"""Check-in at the door and the events' CSV exports: the cohort's managers and administrators."""

from __future__ import annotations

from tests.events.builders import make_event
from tests.matrix import Route, signed_in

MANAGE = signed_in(403, outsider=404, other_manager=404, manager=200, admin=200)


def own(w) -> dict:
    return {"pk": make_event(w.cohort, creator=w.manager).pk}


def other(w) -> dict:
    return {"pk": make_event(w.other_cohort, creator=w.other_manager).pk}


ROUTES = [
    Route("events:check_in", MANAGE, kwargs=own),
    Route(
        "events:check_in",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=other,
        case="other cohort",
    ),
    # No member given: the managers' request finds nobody to check in (404).
    Route(
        "events:check_in_mark",
        signed_in(403, outsider=404, other_manager=404, manager=404, admin=404),
        kwargs=own,
        method="post",
    ),
    Route("events:check_in_mark", signed_in(405), kwargs=own, case="get"),
    Route("events:attendees_export", MANAGE, kwargs=own),
    Route(
        "events:attendees_export",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=other,
        case="other cohort",
    ),
    Route("events:cohort_attendance_export", MANAGE, kwargs=lambda w: {"slug": w.cohort.slug}),
]
