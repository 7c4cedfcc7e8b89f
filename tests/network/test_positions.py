"""Role history, leaving government, own data and deactivation."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from network import services
from network.models import AuditEntry, Member, MemberType, Position
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_adding_a_current_role_sets_the_profile_agency(world, client_for):
    agency = AgencyFactory(acronym="DOT", name="Department of Transportation")
    client = client_for("member")
    response = client.post(
        reverse("network:positions"),
        {"title": "Deputy Secretary", "agency": agency.pk, "starts_on": "2025-02-01"},
    )
    assert response.status_code == 302
    member = Member.objects.get(pk=world.member.pk)
    assert member.agency == agency
    assert "Deputy Secretary" in client.get(reverse("network:member", args=[member.pk])).text


def test_leaving_government_makes_an_alumnus_and_keeps_history(world, client_for):
    member = world.member
    Member.objects.filter(pk=member.pk).update(member_type=MemberType.APPOINTEE)
    Position.objects.create(member=member, title="Assistant Secretary", starts_on=date(2024, 1, 1))
    response = client_for("member").post(reverse("network:left_government"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.member_type == MemberType.ALUMNUS
    position = member.positions.get()
    assert position.ends_on is not None
    assert member.memberships.filter(cohort=world.cohort).exists()
    assert AuditEntry.objects.filter(action="left_government").exists()


def test_seat_links_outgoing_and_incoming_holders(world, client_for):
    old = Position.objects.create(member=world.mate, title="CIO", ends_on=date(2025, 1, 1))
    services.add_position(member=world.member, title="CIO", succeeds=old)
    page = client_for("mate").get(reverse("network:member", args=[world.mate.pk])).text
    assert "Succeeded by" in page and world.member.name in page
    page = client_for("mate").get(reverse("network:member", args=[world.member.pk])).text
    assert "Succeeded" in page and world.mate.name in page


def test_seat_link_to_a_hidden_member_is_not_shown(world, client_for):
    old = Position.objects.create(member=world.mate, title="CIO", ends_on=date(2025, 1, 1))
    services.add_position(member=world.member, title="CIO", succeeds=old)
    Member.objects.filter(pk=world.mate.pk).update(visibility="hidden")
    page = client_for("outsider").get(reverse("network:member", args=[world.member.pk])).text
    assert "Succeeded" not in page and world.mate.name not in page


def test_own_data_download_has_profile_positions_and_cohorts(world, client_for):
    Position.objects.create(member=world.member, title="Chief of Staff")
    response = client_for("member").get(reverse("network:own_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["profile"]["name"] == world.member.name
    assert data["positions"][0]["title"] == "Chief of Staff"
    assert data["cohorts"][0]["cohort"] == world.cohort.name
    assert data["account"]["email_addresses"][0]["email"] == world.member.user.email


@pytest.mark.django_db(transaction=True)
def test_deactivation_hides_the_profile_and_ends_sessions(world, client_for, client):
    from django.test import Client

    elsewhere = Client()
    elsewhere.force_login(world.member.user)
    client = client_for("member")
    response = client.post(reverse("network:deactivate"), {"confirm": "yes"})
    assert response.status_code == 302
    user_id = str(world.member.user.pk)
    assert not any(s.get_decoded().get("_auth_user_id") == user_id for s in Session.objects.all())
    assert elsewhere.get(reverse("network:home")).status_code == 302
    mate = client_for("mate")
    assert mate.get(reverse("network:member", args=[world.member.pk])).status_code == 404
    assert world.member.name not in mate.get(reverse("network:directory")).text
    member = Member.objects.get(pk=world.member.pk)
    assert member.display_name == "A former member"


def test_own_data_download_has_the_members_posts_messages_and_rsvps(world, client_for):
    from events import services as events
    from messaging.discussions import services as discussions
    from messaging.models import Room
    from messaging.services import chat
    from tests.events.builders import make_event

    discussions.ensure_cohort_boards([world.cohort])
    thread = discussions.start_thread(
        board=world.cohort.board, author=world.member, title="Hiring", body="My own post."
    )
    discussions.post_reply(thread=thread, author=world.mate, body="Someone else's post.")
    chat.ensure_cohort_rooms(member=world.member)
    room = Room.objects.get(cohort=world.cohort)
    chat.send_message(member=world.member, room=room, body="My own message.", client_id="c1")
    event = make_event(world.cohort, creator=world.manager, title="Budget roundtable")
    events.rsvp(event=event, member=world.member, going=True)

    data = json.loads(client_for("member").get(reverse("network:own_data")).content)
    assert [p["body"] for p in data["discussion_posts"]] == ["My own post."]
    assert [m["body"] for m in data["chat_messages"]] == ["My own message."]
    assert [(r["event"], r["status"]) for r in data["rsvps"]] == [("Budget roundtable", "going")]
