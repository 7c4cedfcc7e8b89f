"""A seat links its outgoing and incoming holders: named by the holder when adding or editing a
role, or by their cohorts' managers and administrators; shown on both profiles to those who may
see both."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from network.models import AuditEntry, Member, Position, Visibility
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hhs(db):
    return AgencyFactory(acronym="HHS", name="Department of Health and Human Services")


@pytest.fixture
def mates_old_role(world, hhs) -> Position:
    """Bo Mate was Deputy CIO at HHS until the start of 2025."""
    return Position.objects.create(
        member=world.mate, title="Deputy CIO", agency=hhs, ends_on=date(2025, 1, 1)
    )


def profile_text(client, member: Member) -> str:
    return client.get(reverse("network:member", args=[member.pk])).text


def test_member_names_the_previous_holder_when_adding_a_role(
    world, client_for, hhs, mates_old_role
):
    client = client_for("member")
    response = client.post(
        reverse("network:positions"),
        {"title": "Deputy CIO", "agency": hhs.pk, "predecessor_name": "bo mate"},
    )
    assert response.status_code == 302
    assert Position.objects.get(member=world.member).succeeds == mates_old_role
    mine = profile_text(client, world.member)
    assert "Succeeded <a" in mine and "Bo Mate</bdi></a> as <bdi>Deputy CIO, HHS</bdi>" in mine
    assert reverse("network:member", args=[world.mate.pk]) in mine
    theirs = profile_text(client_for("mate"), world.mate)
    assert (
        "Succeeded by <a" in theirs
        and "Ada Member</bdi></a> as <bdi>Deputy CIO, HHS</bdi>" in theirs
    )
    assert reverse("network:member", args=[world.member.pk]) in theirs


def test_member_names_the_previous_holder_when_editing_a_role(
    world, client_for, hhs, mates_old_role
):
    mine = Position.objects.create(member=world.member, title="Deputy CIO", agency=hhs)
    client = client_for("member")
    url = reverse("network:position_edit", args=[mine.pk])
    response = client.post(
        url, {"title": "Deputy CIO", "agency": hhs.pk, "predecessor_name": "Bo Mate"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.succeeds == mates_old_role
    assert 'value="Bo Mate"' in client.get(url).text


def test_a_role_in_the_same_seat_is_preferred_to_others(world, client_for, hhs, mates_old_role):
    Position.objects.create(
        member=world.mate, title="Advisor", agency=hhs, ends_on=date(2025, 6, 1)
    )
    Position.objects.create(member=world.mate, title="Deputy CIO", ends_on=date(2025, 7, 1))
    client_for("member").post(
        reverse("network:positions"),
        {"title": "Deputy CIO", "agency": hhs.pk, "predecessor_name": "Bo Mate"},
    )
    assert Position.objects.get(member=world.member).succeeds == mates_old_role


def test_a_predecessor_without_a_role_in_the_seat_is_explained(world, client_for, hhs):
    response = client_for("member").post(
        reverse("network:positions"),
        {"title": "Deputy CIO", "agency": hhs.pk, "predecessor_name": "Bo Mate"},
    )
    assert response.status_code == 200
    assert "Bo Mate has no role at Department of Health and Human Services" in response.text
    assert not Position.objects.filter(member=world.member).exists()


def test_a_member_the_holder_may_not_see_cannot_be_named(world, client_for, hhs, mates_old_role):
    Member.objects.filter(pk=world.mate.pk).update(visibility=Visibility.HIDDEN)
    response = client_for("member").post(
        reverse("network:positions"),
        {"title": "Deputy CIO", "agency": hhs.pk, "predecessor_name": "Bo Mate"},
    )
    assert response.status_code == 200
    assert "No member you can see is called" in response.text
    assert not Position.objects.filter(member=world.member).exists()


def test_the_edit_form_keeps_but_does_not_name_a_predecessor_now_hidden(
    world, client_for, hhs, mates_old_role
):
    mine = Position.objects.create(
        member=world.member, title="Deputy CIO", agency=hhs, succeeds=mates_old_role
    )
    Member.objects.filter(pk=world.mate.pk).update(visibility=Visibility.HIDDEN)
    client = client_for("member")
    url = reverse("network:position_edit", args=[mine.pk])
    assert "Bo Mate" not in client.get(url).text
    client.post(url, {"title": "Deputy CIO (acting)", "agency": hhs.pk, "predecessor_name": ""})
    mine.refresh_from_db()
    assert mine.title == "Deputy CIO (acting)" and mine.succeeds == mates_old_role


def test_manager_of_the_holders_cohort_links_the_seat_and_it_is_audited(
    world, client_for, hhs, mates_old_role
):
    mine = Position.objects.create(member=world.member, title="Deputy CIO", agency=hhs)
    client = client_for("manager")
    url = reverse("network:position_predecessor", args=[world.member.pk, mine.pk])
    response = client.post(url, {"predecessor_name": "Bo Mate"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.succeeds == mates_old_role
    entry = AuditEntry.objects.get(action="seat_linked")
    assert entry.actor == world.manager.user
    assert "Name the previous holder" in profile_text(client, world.member)


def test_administrator_removes_a_seat_link(world, client_for, hhs, mates_old_role):
    mine = Position.objects.create(
        member=world.member, title="Deputy CIO", agency=hhs, succeeds=mates_old_role
    )
    url = reverse("network:position_predecessor", args=[world.member.pk, mine.pk])
    assert client_for("admin").post(url, {"predecessor_name": ""}).status_code == 302
    mine.refresh_from_db()
    assert mine.succeeds is None
    assert AuditEntry.objects.filter(action="seat_unlinked").exists()


@pytest.mark.parametrize("role", ["mate", "outsider", "other_manager"])
def test_people_who_do_not_run_the_holders_cohort_cannot_link_the_seat(
    role, world, client_for, hhs, mates_old_role
):
    mine = Position.objects.create(member=world.member, title="Deputy CIO", agency=hhs)
    url = reverse("network:position_predecessor", args=[world.member.pk, mine.pk])
    client = client_for(role)
    assert client.post(url, {"predecessor_name": "Bo Mate"}).status_code == 403
    mine.refresh_from_db()
    assert mine.succeeds is None
    assert "Name the previous holder" not in profile_text(client, world.member)


def test_a_hidden_holders_seat_is_not_found_by_an_outsider(world, client_for, hhs):
    mine = Position.objects.create(member=world.member, title="Deputy CIO", agency=hhs)
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.HIDDEN)
    url = reverse("network:position_predecessor", args=[world.member.pk, mine.pk])
    assert client_for("outsider").post(url, {"predecessor_name": "Cy Out"}).status_code == 404


def test_a_role_under_another_members_id_is_not_found(world, client_for, hhs, mates_old_role):
    url = reverse("network:position_predecessor", args=[world.member.pk, mates_old_role.pk])
    assert client_for("admin").get(url).status_code == 404


def test_someone_elses_role_cannot_be_edited_as_ones_own(world, client_for, mates_old_role):
    url = reverse("network:position_edit", args=[mates_old_role.pk])
    assert client_for("member").post(url, {"title": "Mine now"}).status_code == 404
    mates_old_role.refresh_from_db()
    assert mates_old_role.title == "Deputy CIO"


def test_a_hidden_predecessor_is_not_named_to_a_stranger(world, client_for, hhs, mates_old_role):
    Position.objects.create(
        member=world.member, title="Deputy CIO", agency=hhs, succeeds=mates_old_role
    )
    Member.objects.filter(pk=world.mate.pk).update(visibility=Visibility.HIDDEN)
    page = profile_text(client_for("outsider"), world.member)
    assert "Succeeded" not in page and "Bo Mate" not in page
    # ... while the predecessor's cohort manager still sees the introduction.
    assert "Bo Mate</bdi></a> as <bdi>Deputy CIO, HHS</bdi>" in profile_text(
        client_for("manager"), world.member
    )
