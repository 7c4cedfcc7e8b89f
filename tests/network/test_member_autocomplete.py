"""Member-name autocomplete: only members the asker may see, at most ten, in a fixed number of
queries, rate-limited per account."""

from __future__ import annotations

import factory
import pytest
from django.urls import reverse

from network.models import Member, Visibility
from network.views import members as member_views
from tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db

URL = reverse("network:member_autocomplete")


def factory_name(first: str) -> factory.Sequence:
    return factory.Sequence(lambda n: f"{first} Person{n}")


def names(client, q: str) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [m["name"] for m in response.json()["members"]]


def test_suggestions_carry_name_headline_agency_and_profile_link(world, client_for):
    Member.objects.filter(pk=world.mate.pk).update(headline="Chief Data Officer")
    response = client_for("member").get(URL, {"q": "Bo"})
    (found,) = response.json()["members"]
    assert found == {
        "id": world.mate.pk,
        "name": "Bo Mate",
        "headline": "Chief Data Officer",
        "agency": world.mate.agency.name,
        "url": reverse("network:member", args=[world.mate.pk]),
    }


def test_any_word_of_the_name_can_be_typed(world, client_for):
    assert names(client_for("outsider"), "memb") == ["Ada Member"]


def test_one_letter_suggests_nobody(world, client_for):
    assert names(client_for("member"), "A") == []


def test_at_most_ten_members_are_suggested(world, client_for):
    MemberFactory.create_batch(12, name=factory_name("Zed"))
    assert len(names(client_for("member"), "Zed")) == 10


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("member", True),
        ("mate", False),
        ("outsider", False),
        ("other_manager", False),
        ("manager", True),
        ("admin", True),
    ],
)
def test_a_hidden_profile_is_suggested_only_to_its_owner_managers_and_admins(
    role, sees, world, client_for
):
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.HIDDEN)
    assert ("Ada Member" in names(client_for(role), "Ada")) is sees


def test_a_cohorts_only_profile_is_not_suggested_to_another_cohort(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.COHORTS)
    assert names(client_for("mate"), "Ada") == ["Ada Member"]
    assert names(client_for("outsider"), "Ada") == []


def test_signed_out_visitors_are_sent_to_log_in(world, client):
    assert client.get(URL, {"q": "Ada"}).status_code == 302


@pytest.mark.parametrize("count", [1, 30])
def test_the_query_count_does_not_grow_with_matches(
    count, world, client_for, django_assert_num_queries
):
    for _ in range(count):
        MembershipFactory(cohort=world.cohort, member=MemberFactory(name=factory_name("Quinn")))
    client = client_for("mate")
    names(client, "warm-up")  # the first request also checks MFA once and saves the session
    # Session, user, then one query for the suggestions with their agencies.
    with django_assert_num_queries(3):
        found = names(client, "Quinn")
    assert len(found) == min(count, 10)


def test_too_many_requests_are_refused_for_a_while(world, client_for, monkeypatch):
    monkeypatch.setattr(member_views, "AUTOCOMPLETE_RATE", (2, 60))
    client = client_for("member")
    assert [client.get(URL, {"q": "Bo"}).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(URL, {"q": "Bo"})["Retry-After"]) > 0
    assert client_for("mate").get(URL, {"q": "Bo"}).status_code == 200
