"""The directory: search, filters, facets, sorting and paging, always within visibility."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network import services
from network.models import Member, MemberType, Visibility
from tests.factories import AgencyFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def tagged(name: str, *, challenges=(), expertise=(), **fields) -> Member:
    member = MemberFactory(name=name, **fields)
    services.update_profile(
        member=member, fields={}, expertise=list(expertise), challenges=list(challenges)
    )
    return member


def names(response) -> list[str]:
    return [m.name for m in response.context["result"].page.object_list]


def test_free_text_finds_members_by_name_headline_and_tag(world, client_for):
    tagged("Quinn Searchable", challenges=["Workforce retention"], headline="Budget lead")
    client = client_for("member")
    url = reverse("network:directory")
    assert names(client.get(url, {"q": "Quinn"})) == ["Quinn Searchable"]
    assert names(client.get(url, {"q": "budget"})) == ["Quinn Searchable"]
    assert names(client.get(url, {"q": "retention"})) == ["Quinn Searchable"]
    assert names(client.get(url, {"q": "nothing-like-this"})) == []


def test_filters_combine_and_live_in_the_query_string(world, client_for):
    dept = AgencyFactory(acronym="DHS", name="Department of Homeland Security")
    sub = AgencyFactory(acronym="FEMA", name="Federal Emergency Management Agency", parent=dept)
    tagged("Rae Fema", agency=sub, member_type=MemberType.CAREER, challenges=["Disaster recovery"])
    tagged("Sol Dhs", agency=dept, member_type=MemberType.APPOINTEE, time_zone="America/Denver")
    client = client_for("member")
    url = reverse("network:directory")
    assert names(client.get(url, {"agency": "DHS"})) == ["Rae Fema", "Sol Dhs"]
    assert names(client.get(url, {"agency": "DHS", "member_type": "career"})) == ["Rae Fema"]
    assert names(client.get(url, {"challenge": "disaster-recovery"})) == ["Rae Fema"]
    assert names(client.get(url, {"time_zone": "America/Denver"})) == ["Sol Dhs"]
    response = client.get(url, {"agency": "DHS", "page": "1"})
    assert "agency=DHS&amp;page=" not in response.text  # one page only: no pager
    agency_facet = {v.value: v.count for v in response.context["result"].facets["agency"]}
    assert agency_facet == {"DHS": 2}
    response = client.get(url, {"agency": "fema"})
    assert names(response) == ["Rae Fema"]
    agency_facet = {v.value: v.count for v in response.context["result"].facets["agency"]}
    assert agency_facet == {"DHS": 1, "FEMA": 1}


def test_cohort_and_program_filters_only_use_cohorts_the_user_can_see(world, client_for):
    url = reverse("network:directory")
    mine = names(client_for("member").get(url, {"cohort": world.cohort.slug}))
    assert mine == ["Ada Member", "Bo Mate", "Dee Manager"]
    assert names(client_for("member").get(url, {"cohort": world.other_cohort.slug})) == []
    program = names(client_for("member").get(url, {"program": world.cohort.program.slug}))
    assert program == mine


def test_hidden_profiles_never_show_in_results_or_facets(world, client_for):
    tagged("Hal Hidden", challenges=["Secret work"], visibility=Visibility.HIDDEN)
    MembershipFactory(cohort=world.cohort, member=Member.objects.get(name="Hal Hidden"))
    url = reverse("network:directory")
    for role, sees in [("mate", False), ("outsider", False), ("manager", True), ("admin", True)]:
        response = client_for(role).get(url)
        facets = response.context["result"].facets
        assert ("Hal Hidden" in names(response)) is sees, role
        assert any(v.value == "secret-work" for v in facets["challenge"]) is sees, role
        assert ("Hal Hidden" in client_for(role).get(url, {"q": "Hal"}).text) is sees


def test_counts_and_results_follow_a_profile_hidden_after_a_search(world, client_for):
    vic = tagged("Vic Visible", challenges=["Open data"])
    url = reverse("network:directory")
    for role in ("outsider", "mate"):  # two viewers who see different cohorts
        response = client_for(role).get(url, {"q": "Vic"})
        assert names(response) == ["Vic Visible"]
        assert [v.value for v in response.context["result"].facets["challenge"]] == ["open-data"]
    services.update_profile(
        member=vic, fields={"visibility": Visibility.HIDDEN}, expertise=[], challenges=["Open data"]
    )
    for role in ("outsider", "mate"):
        response = client_for(role).get(url, {"q": "Vic"})
        assert names(response) == [] and response.context["result"].total == 0, role
        assert response.context["result"].facets["challenge"] == [], role


def test_a_cohort_only_profile_is_counted_for_its_cohort_mates_only(world, client_for):
    tagged("Una Network", challenges=["Grants"])
    tagged("Cora Cohort", challenges=["Grants"], visibility=Visibility.COHORTS)
    MembershipFactory(cohort=world.cohort, member=Member.objects.get(name="Cora Cohort"))
    url = reverse("network:directory")
    counts = {}
    for role in ("mate", "outsider", "member", "other_manager", "admin"):
        facets = client_for(role).get(url, {"challenge": "grants"}).context["result"].facets
        counts[role] = {v.value: v.count for v in facets["challenge"]}["grants"]
    assert counts == {"mate": 2, "outsider": 1, "member": 2, "other_manager": 1, "admin": 2}


def test_cohort_only_profiles_are_seen_by_cohort_mates(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.COHORTS)
    url = reverse("network:directory")
    assert "Ada Member" in names(client_for("mate").get(url))
    assert "Ada Member" not in names(client_for("outsider").get(url))


def test_sorting_by_newest(world, client_for):
    response = client_for("member").get(reverse("network:directory"), {"sort": "newest"})
    assert names(response)[0] == "Flo Admin"


def test_pages_of_25(world, client_for):
    for n in range(30):
        MemberFactory(name=f"Zed {n:02d}")
    client = client_for("member")
    first = client.get(reverse("network:directory"), {"q": "Zed"})
    assert first.context["result"].total == 30 and len(names(first)) == 25
    second = client.get(reverse("network:directory"), {"q": "Zed", "page": 2})
    assert names(second) == [f"Zed {n}" for n in range(25, 30)]  # the rest, in order
    assert not set(names(first)) & set(names(second))
    assert "page=2" in first.text


def test_query_count_is_the_same_for_one_and_fifty_results(
    world, client_for, django_assert_num_queries, django_assert_max_num_queries
):
    client = client_for("member")
    url = reverse("network:directory")
    # The first request of a session also checks MFA enrolment once.
    client.get(url, {"q": "anyone"})
    tagged("Only One", challenges=["Rare"], expertise=["Solo"])
    with django_assert_max_num_queries(17) as one:
        response = client.get(url, {"q": "Only"})
    assert names(response) == ["Only One"]
    for n in range(50):
        tagged(f"Plentiful {n}", challenges=["Common", f"c{n}"], expertise=["Shared"])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url, {"q": "Plentiful"})
    assert len(names(response)) == 25 and response.context["result"].total == 50


def test_unknown_agency_or_tag_finds_nobody_rather_than_failing(world, client_for):
    url = reverse("network:directory")
    response = client_for("member").get(url, {"agency": "NOPE", "challenge": "nothing"})
    assert response.status_code == 200 and response.context["result"].total == 0


def test_result_cards_escape_what_members_wrote(world, client_for):
    tagged(
        "Eve <b>Bold</b>",
        headline='<script>alert("x")</script>',
        organisation="A & B",
        agency=None,
        challenges=["<i>Tagged</i>"],
    )
    text = client_for("member").get(reverse("network:directory"), {"q": "Eve"}).text
    assert "Eve &lt;b&gt;Bold&lt;/b&gt;" in text and "<b>Bold" not in text
    assert "&lt;script&gt;" in text and '<script>alert("x")' not in text
    assert "A &amp; B" in text and "&lt;i&gt;Tagged&lt;/i&gt;" in text
