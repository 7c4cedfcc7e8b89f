"""Free text and order in the directory, as a member reads it: which people a search finds, in
which order, page after page, and after which changes (the tests of the former in-memory word
index and sort orders that still describe what a member sees)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from network import services
from network.models import Member, Tag
from tests.factories import AgencyFactory, MemberFactory

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking and likeness are PostgreSQL's"
)


def tagged(name: str, *, challenges=(), **fields) -> Member:
    member = MemberFactory(name=name, **fields)
    services.update_profile(member=member, fields={}, expertise=[], challenges=list(challenges))
    return member


def names(response) -> list[str]:
    return [m.name for m in response.context["result"].page.object_list]


@pytest.fixture
def search(world, client_for):
    client = client_for("member")
    url = reverse("network:directory")
    return lambda q="", **params: client.get(url, {"q": q, **params} if q else params)


@postgresql_only
def test_a_name_ranks_above_a_headline_above_the_rest_then_names_alike(search):
    tagged("Uma Ternst", headline="Policy lead")  # no word matches; the name is like it
    tagged("Bo Headline", headline="Terns programme director")
    tagged("Al Biography", challenges=["Terns and seabirds"])
    tagged("Zed Terns")
    tagged("Cy Terns", headline="Terns programme")
    assert names(search("terns")) == [
        "Cy Terns",  # in the name and the headline
        "Zed Terns",
        "Bo Headline",
        "Al Biography",
        "Uma Ternst",
    ]


@postgresql_only
def test_every_word_must_match_and_word_forms_are_stemmed(search):
    tagged("Ivy Retains", headline="Workforce planning", challenges=["Retention"])
    tagged("Ike Workforce", headline="Budget")
    assert names(search("workforce retaining")) == ["Ivy Retains"]
    assert names(search("workforce")) == ["Ike Workforce", "Ivy Retains"]


@postgresql_only
def test_a_misspelt_name_finds_the_person(search):
    tagged("Chiamaka Okafor", headline="Chief of staff")
    assert names(search("Okafr")) == ["Chiamaka Okafor"]
    assert names(search("okafor chief")) == ["Chiamaka Okafor"]


@postgresql_only
def test_phrases_and_exclusions(search):
    tagged("Pia Phrase", headline="Chief of staff")
    tagged("Ned Nophrase", headline="Staff chief")
    assert names(search('"chief of staff"')) == ["Pia Phrase"]
    assert names(search("chief -phrase")) == ["Ned Nophrase"]


@postgresql_only
def test_hyphenated_apostrophe_and_non_ascii_names_are_found(search):
    tagged("Ada O'Brien-Smith")
    tagged("Zoë Ångström")
    for q in ("O'Brien-Smith", "o'brien", "brien-smith", "Ada O'Brien"):
        assert names(search(q))[0] == "Ada O'Brien-Smith", q
    assert names(search("Ångström")) == ["Zoë Ångström"]
    assert names(search("Ångstrm")) == ["Zoë Ångström"]


def test_changed_profiles_are_searched_as_they_now_are(search):
    ned = tagged("Ned Before", headline="Archivist")
    assert names(search("archivist")) == ["Ned Before"]
    services.update_profile(
        member=ned, fields={"headline": "Cartographer"}, expertise=[], challenges=[]
    )
    assert names(search("archivist")) == []
    assert names(search("cartographer")) == ["Ned Before"]


def test_every_sort_pages_through_all_results_once(search):
    for n in range(60):
        MemberFactory(name=f"Pager {n:02d}")
    for sort in ("relevance", "name", "newest", "agency"):
        seen = []
        for page in (1, 2, 3):
            seen += names(search("Pager", sort=sort, page=page))
        assert sorted(seen) == [f"Pager {n:02d}" for n in range(60)], sort


def test_the_agency_order_follows_a_renamed_agency(search):
    alpha = AgencyFactory(acronym="AAA", name="Alpha Agency")
    zeta = AgencyFactory(acronym="ZZZ", name="Zeta Agency")
    MemberFactory(name="Sorted Zed", agency=zeta)
    MemberFactory(name="Sorted Al", agency=alpha)
    MemberFactory(name="Sorted Org", agency=None, organisation="Acme")
    assert names(search("Sorted", sort="agency")) == ["Sorted Al", "Sorted Zed", "Sorted Org"]
    alpha.name = "Zulu Agency"
    alpha.save()
    assert names(search("Sorted", sort="agency")) == ["Sorted Zed", "Sorted Al", "Sorted Org"]


def test_a_deleted_tag_leaves_the_counts_and_a_renamed_one_shows_its_new_name(search):
    for name, challenge in (("Tia Tagged", "Short lived"), ("Ray Renamed", "Old name")):
        services.update_profile(
            member=MemberFactory(name=name), fields={}, expertise=[], challenges=[challenge]
        )
    search()  # counted and kept
    Tag.objects.filter(slug="short-lived").delete()
    Tag.objects.filter(slug="old-name").update(name="New name")
    facet = search().context["result"].facets["challenge"]
    assert [(v.value, v.label) for v in facet] == [("old-name", "New name")]
    assert search(challenge="short-lived").context["result"].total == 0
