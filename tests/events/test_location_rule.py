"""Where an event is held shows to the people going and its managers: page and .ics alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from events import services
from tests.events.builders import make_event

pytestmark = pytest.mark.django_db
PLACE = "Room 4120, 1800 F Street NW"


@pytest.fixture
def event(world):
    return make_event(cohort=world.cohort, location_kind="in_person", address=PLACE)


@pytest.mark.parametrize(
    ("role", "going", "shown"),
    [
        ("member", True, True),
        ("member", False, False),
        ("mate", False, False),
        ("manager", False, True),
        ("admin", False, True),
    ],
)
def test_page_and_calendar_file_agree_on_who_sees_the_place(
    world, client_for, event, role, going, shown
):
    if going:
        services.rsvp(event=event, member=getattr(world, role), going=True)
    client = client_for(role)
    page = client.get(reverse("events:detail", args=[event.pk])).text
    ics = client.get(reverse("events:ics", args=[event.pk])).content.decode()
    assert (PLACE in page) is shown
    assert ("1800 F Street NW" in ics.replace("\\,", ",").replace("\r\n ", "")) is shown
