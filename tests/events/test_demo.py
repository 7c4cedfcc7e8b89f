"""The demo events load on top of the network's demo data, and loading twice adds nothing."""

from __future__ import annotations

from django.core.management import call_command

from events.models import RSVP, Event, Poll
from network import demo as network_demo


def test_demo_events_seed_once(db):
    network_demo.seed(members=40)
    call_command("seed_events_demo")
    counts = (Event.objects.count(), Poll.objects.count(), RSVP.objects.count())
    call_command("seed_events_demo")
    assert counts == (Event.objects.count(), Poll.objects.count(), RSVP.objects.count())
    assert counts[0] == 3 and counts[1] == 1
    roundtable = Event.objects.get(title__startswith="Roundtable")
    assert roundtable.rsvps.filter(status="going").count() <= roundtable.capacity
