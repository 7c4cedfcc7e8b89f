"""Announcement routes for every role: another cohort's announcement is a 404."""

from __future__ import annotations

from messaging.announcements import services
from messaging.announcements.models import Audience
from tests.matrix import Route, signed_in

AUTHORS = signed_in(403, manager=200, other_manager=200, admin=200)
READERS = signed_in(200, outsider=404, other_manager=404)
MANAGERS_OF_OWN = signed_in(403, outsider=404, other_manager=404, manager=200, admin=200)


def own(world) -> dict:
    announcement = services.create_announcement(
        author=world.manager, audience=Audience.COHORT, cohort=world.cohort, title="T", body="B"
    )
    return {"pk": announcement.pk}


ROUTES = [
    Route("announcements:list", AUTHORS),
    Route("announcements:new", AUTHORS),
    Route("announcements:detail", READERS, kwargs=own),
    Route("announcements:edit", MANAGERS_OF_OWN, kwargs=own),
    Route(
        "announcements:withdraw",
        signed_in(403, outsider=404, other_manager=404, manager=302, admin=302),
        kwargs=own,
        method="post",
    ),
    Route(
        "announcements:dismiss",
        signed_in(302, outsider=404, other_manager=404),
        kwargs=own,
        method="post",
    ),
    Route("announcements:dismiss", signed_in(405), kwargs=own, case="get"),
]
