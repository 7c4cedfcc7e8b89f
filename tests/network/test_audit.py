"""The audit log records who did what, when and from where; administrators filter and export it."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from events import services as events
from network import services
from network.models import AuditEntry
from tests.events.builders import make_event, utc

pytestmark = pytest.mark.django_db


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action))


def test_profile_and_visibility_changes_are_recorded_apart(world):
    services.update_profile(
        member=world.member,
        fields={"headline": "Deputy CIO", "visibility": "hidden"},
        expertise=[],
        challenges=[],
    )
    (profile,) = entries("profile_updated")
    assert profile.data["fields"] == "headline" and profile.actor == world.member.user
    (visibility,) = entries("visibility_changed")
    assert (visibility.data["old"], visibility.data["new"]) == ("network", "hidden")


def test_saving_an_unchanged_profile_records_nothing(world):
    services.update_profile(
        member=world.member, fields={"name": world.member.name}, expertise=[], challenges=[]
    )
    assert not entries("profile_updated") and not entries("visibility_changed")


def test_rsvps_and_polls_are_recorded(world):
    event = make_event(cohort=world.cohort)
    events.rsvp(event=event, member=world.member, going=True)
    (rsvp,) = entries("rsvp")
    assert rsvp.actor == world.member.user and rsvp.data["status"] == "going"
    events.create_poll(
        creator=world.manager,
        cohort=world.cohort,
        title="Spring dinner",
        time_zone="America/New_York",
        duration_minutes=60,
        slot_starts=[utc(2055, 3, 1, 15), utc(2055, 3, 2, 15)],
    )
    (poll,) = entries("poll_created")
    assert poll.actor == world.manager.user and poll.data["slots"] == "2"


def test_every_refused_authorisation_is_recorded_with_who_what_and_where(world, client_for):
    url = reverse("network:cohort_manage", args=[world.cohort.slug])
    response = client_for("member").get(url, REMOTE_ADDR="203.0.113.40")
    assert response.status_code == 403
    (refusal,) = entries("permission_denied")
    assert refusal.actor == world.member.user
    assert (refusal.target, refusal.ip_address, refusal.data["method"]) == (
        url,
        "203.0.113.40",
        "GET",
    )


def test_own_data_export_is_recorded(world, client_for):
    client_for("member").get(reverse("network:own_data"))
    assert entries("own_data_exported")[0].actor == world.member.user


def test_administrator_filters_and_exports_the_log_as_csv(world, client_for):
    client = client_for("member")
    client.get(reverse("network:cohort_manage", args=[world.cohort.slug]))
    admin = client_for("admin")
    changelist = reverse("admin:network_auditentry_changelist")
    filtered = admin.get(changelist, {"action__exact": "permission_denied"})
    assert filtered.status_code == 200 and "permission_denied" in filtered.text
    ids = [str(e.pk) for e in AuditEntry.objects.filter(action="permission_denied")]
    response = admin.post(changelist, {"action": "export_csv", "_selected_action": ids})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["at", "action", "actor", "target", "ip_address", "data"]
    assert rows[1][1] == "permission_denied" and rows[1][2] == world.member.user.email
    assert entries("audit_log_exported")
