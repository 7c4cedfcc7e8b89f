"""Events routes for every role. Another cohort's event, poll or attendance page is a 404."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from events.models import CalendarFeed
from tests.events.builders import make_event, make_poll
from tests.matrix import Route, everyone, signed_in

OWN_ONLY = signed_in(200, outsider=404, other_manager=404)
OTHER_ONLY = signed_in(404, outsider=200, other_manager=200, admin=200)
MANAGERS_OF_OWN = signed_in(403, outsider=404, other_manager=404, manager=200, admin=200)
SCHEDULERS = signed_in(403, manager=200, other_manager=200, admin=200)


def own(w) -> dict:
    return {"pk": make_event(w.cohort, creator=w.manager).pk}


def other(w) -> dict:
    return {"pk": make_event(w.other_cohort, creator=w.other_manager).pk}


def network_wide(w) -> dict:
    return {"pk": make_event(None, creator=w.admin).pk}


def own_past(w) -> dict:
    start = timezone.now() - timedelta(days=2)
    return {"pk": make_event(w.cohort, creator=w.manager, start=start).pk}


def own_poll(w) -> dict:
    return {"pk": make_poll(w.cohort, creator=w.manager).pk}


def other_poll(w) -> dict:
    return {"pk": make_poll(w.other_cohort, creator=w.other_manager).pk}


def member_feed(w) -> dict:
    return {"token": CalendarFeed.objects.create(member=w.member).token}


def revoked_feed(w) -> dict:
    feed = CalendarFeed.objects.create(member=w.member, revoked_at=timezone.now())
    return {"token": feed.token}


ROUTES = [
    Route("events:list", signed_in(200)),
    Route("events:past", signed_in(200)),
    Route("events:this_month", signed_in(302)),
    Route("events:month", signed_in(200), kwargs=lambda w: {"year": 2026, "month": 3}),
    Route("events:month", signed_in(404), kwargs=lambda w: {"year": 2026, "month": 13}, case="bad"),
    Route("events:create", SCHEDULERS),
    Route("events:detail", OWN_ONLY, kwargs=own, case="own cohort"),
    Route("events:detail", OTHER_ONLY, kwargs=other, case="other cohort"),
    Route("events:detail", signed_in(200), kwargs=network_wide, case="network-wide"),
    Route("events:detail", signed_in(404), kwargs=lambda w: {"pk": 99999}, case="missing"),
    Route("events:edit", MANAGERS_OF_OWN, kwargs=own, case="own cohort"),
    Route(
        "events:edit",
        signed_in(404, outsider=403, other_manager=200, admin=200),
        kwargs=other,
        case="other cohort",
    ),
    Route("events:edit", signed_in(403, admin=200), kwargs=network_wide, case="network-wide"),
    Route("events:cancel", MANAGERS_OF_OWN, kwargs=own, case="own cohort"),
    Route("events:cancel", signed_in(403, admin=200), kwargs=network_wide, case="network-wide"),
    Route(
        "events:rsvp",
        signed_in(302, outsider=404, other_manager=404),
        kwargs=own,
        case="own cohort",
        method="post",
    ),
    Route(
        "events:rsvp",
        signed_in(404, outsider=302, other_manager=302, admin=302),
        kwargs=other,
        case="other cohort",
        method="post",
    ),
    Route("events:rsvp", signed_in(405), kwargs=own, case="get"),
    Route("events:ics", OWN_ONLY, kwargs=own, case="own cohort"),
    Route("events:ics", OTHER_ONLY, kwargs=other, case="other cohort"),
    Route("events:attendance", MANAGERS_OF_OWN, kwargs=own_past, case="own cohort"),
    Route("events:calendar", signed_in(200)),
    Route("events:feed", everyone(200), kwargs=member_feed, case="live token"),
    Route("events:feed", everyone(404), kwargs=revoked_feed, case="revoked token"),
    Route("events:feed", everyone(404), kwargs=lambda w: {"token": "forged"}, case="forged"),
    Route("events:poll_create", SCHEDULERS),
    Route("events:poll", OWN_ONLY, kwargs=own_poll, case="own cohort"),
    Route("events:poll", OTHER_ONLY, kwargs=other_poll, case="other cohort"),
    Route("events:poll_close", MANAGERS_OF_OWN, kwargs=own_poll, method="post"),
    Route(
        "events:poll_remind",
        signed_in(403, outsider=404, other_manager=404, manager=302, admin=302),
        kwargs=own_poll,
        method="post",
    ),
]
