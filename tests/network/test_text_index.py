"""The directory's free text in memory (network.text_index), read as a member reads the directory:
which people a search finds, in which order, and after which changes.

The word index serves PostgreSQL only (SQLite searches its text with LIKE), which is what CI
and tests/services.py run.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from network import member_index, services, text_index
from network.models import Member
from tests.factories import AgencyFactory, MemberFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the word index is PostgreSQL's"),
]


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
    return lambda q, **params: client.get(url, {"q": q, **params})


def test_a_name_ranks_above_a_headline_above_the_rest_then_names_alike(search):
    tagged("Uma Ternst", headline="Policy lead")  # no word matches; the name is like it
    tagged("Bo Headline", headline="Terns programme director")
    tagged("Al Biography", challenges=["Terns and seabirds"])
    tagged("Zed Terns")
    tagged("Cy Terns", headline="Terns programme")
    assert names(search("terns")) == [
        "Cy Terns",  # in the name (and the headline: a word counts once, where it weighs most)
        "Zed Terns",  # in the name, after Cy by name
        "Bo Headline",
        "Al Biography",
        "Uma Ternst",
    ]


def test_every_word_must_match_and_word_forms_are_stemmed(search):
    tagged("Ivy Retains", headline="Workforce planning", challenges=["Retention"])
    tagged("Ike Workforce", headline="Budget")
    assert names(search("workforce retaining")) == ["Ivy Retains"]
    assert names(search("workforce")) == ["Ike Workforce", "Ivy Retains"]


def test_a_misspelt_name_finds_the_person(search):
    tagged("Chiamaka Okafor", headline="Chief of staff")
    assert names(search("Okafr")) == ["Chiamaka Okafor"]
    assert names(search("okafor chief")) == ["Chiamaka Okafor"]


def test_phrases_and_exclusions_are_left_to_the_database(search):
    tagged("Pia Phrase", headline="Chief of staff")
    tagged("Ned Nophrase", headline="Staff chief")
    assert text_index.parse('"chief of staff"') is None
    assert text_index.parse("chief -staff") is None
    assert names(search('"chief of staff"')) == ["Pia Phrase"]
    assert names(search("chief -phrase")) == ["Ned Nophrase"]


def test_hyphenated_and_apostrophe_names_are_found_by_their_parts(search):
    tagged("Ada O'Brien-Smith")
    tagged("Bea Smith", headline="Brien O")
    assert text_index.parse("O'Brien-Smith") is not None
    for q in ("O'Brien-Smith", "o'brien", "brien-smith", "Ada O'Brien"):
        assert names(search(q))[0] == "Ada O'Brien-Smith", q


def test_python_trigrams_are_pg_trgm_trigrams_for_ascii_names():
    for name in ("Ada O'Brien-Smith 3rd", "X", "ANNA   anna", "Jo_Ann 42", ""):
        with connection.cursor() as cursor:
            cursor.execute("SELECT show_trgm(%s)", [name])
            assert text_index.trigrams(name) == set(cursor.fetchone()[0]), name


def test_non_ascii_names_are_found_alike(search):
    tagged("Zoë Ångström")
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


@pytest.mark.django_db(transaction=True)
def test_past_the_overlay_limit_a_fresh_index_is_built_aside_and_swapped_in(search, monkeypatch):
    agency = AgencyFactory()  # one for all: a new agency rebuilds the whole index
    tagged("Ned One", headline="Cartographer", agency=agency)
    assert names(search("cartographer")) == ["Ned One"]  # builds the word index
    built = member_index.current().words
    monkeypatch.setattr(text_index, "OVERLAY_LIMIT", 1)
    release = threading.Event()

    class HeldBack(text_index.TextIndex):
        def __init__(self) -> None:
            super().__init__()
            release.wait(timeout=30)  # built; a change comes in before it is swapped in

    monkeypatch.setattr(text_index, "TextIndex", HeldBack)
    tagged("Ola Two", headline="Cartographer", agency=agency)
    tagged("Pip Three", headline="Cartographer", agency=agency)
    # Two changed members, past the limit: the next search starts a rebuild, and is answered
    # by the index it has.
    assert names(search("cartographer")) == ["Ned One", "Ola Two", "Pip Three"]
    tagged("Quin Four", headline="Cartographer", agency=agency)
    assert names(search("cartographer"))[-1] == "Quin Four"  # the old index, meanwhile
    release.set()
    member_index.current().rebuild_thread.join(timeout=60)
    fresh = member_index.current().words
    assert fresh is not built and isinstance(fresh, HeldBack)
    assert list(fresh.words.fresh) == [Member.objects.get(name="Quin Four").pk]
    assert names(search("cartographer")) == ["Ned One", "Ola Two", "Pip Three", "Quin Four"]


@pytest.mark.django_db(transaction=True)
def test_a_page_server_builds_the_index_as_it_starts(world):
    tagged("Wes Warm", headline="Early riser")
    member_index._index = None
    member_index.warm_in_background().join(timeout=60)
    index = member_index._index
    assert index is not None and index.words is not None
    query = text_index.parse("riser")
    found = index.words.search(query, index.bits(("active",)), index.orders["name"])
    assert Member.objects.get(name="Wes Warm").pk in found.page(found.bits, 1, 0, 25)
