"""CSV exports of attendees and of attendance across a cohort's events."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import RSVP
from network.models import AuditEntry, Member
from tests.events.builders import make_event


def read(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_attendees_export_has_status_and_check_in(world, client_for):
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=False)
    services.check_in(event=event, member=world.member, marker=world.manager)
    response = client_for("manager").get(reverse("events:attendees_export", args=[event.pk]))
    header, ada, bo = read(response)
    assert header[:4] == ["name", "email", "agency or organisation", "rsvp"]
    assert ada[0] == "Ada Member" and ada[3] == "Going" and ada[5] and ada[6] == "yes"
    assert bo[0] == "Bo Mate" and bo[3] == "Not going" and bo[5] == ""
    assert AuditEntry.objects.filter(action="attendees_exported").exists()


def test_exports_neutralise_spreadsheet_formulas(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(name="=HYPERLINK(1)")
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    rows = read(client_for("manager").get(reverse("events:attendees_export", args=[event.pk])))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_attendance_across_events_has_a_column_per_event(world, client_for):
    past = timezone.now() - timedelta(days=3)
    first = make_event(world.cohort, creator=world.manager, start=past, title="First")
    second = make_event(world.cohort, creator=world.manager, start=past + timedelta(days=1),
                        title="Second")  # fmt: skip
    for event in (first, second):
        for person in (world.member, world.mate):
            RSVP.objects.create(event=event, member=person, status="going")
    services.mark_attendance(event=first, attended_member_ids={world.member.pk},
                             marker=world.manager)  # fmt: skip
    services.mark_attendance(event=second, attended_member_ids={world.member.pk, world.mate.pk},
                             marker=world.manager)  # fmt: skip
    url = reverse("events:cohort_attendance_export", args=[world.cohort.slug])
    header, ada, bo = read(client_for("manager").get(url))
    assert header[2].endswith("First") and header[3].endswith("Second")
    assert ada[2:] == ["attended", "attended", "2"]
    assert bo[2:] == ["absent", "attended", "1"]
