"""The directory's in-memory index and its change feed (network.member_index).

Each test reads the directory as a member would; what is checked is what the page shows after
a change made in this process, in another process (the feed), or with the feed lost.
"""

from __future__ import annotations

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from network import access, member_index, services
from network.models import Member, Tag, Visibility
from tests.factories import AgencyFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.name for m in response.context["result"].page.object_list]


def challenge_counts(response) -> dict[str, int]:
    return {v.value: v.count for v in response.context["result"].facets["challenge"]}


@pytest.fixture
def directory(world, client_for):
    client = client_for("outsider")
    url = reverse("network:directory")
    return lambda **params: client.get(url, params)


def test_a_change_another_process_announces_is_applied_before_the_next_page(directory):
    kim = MemberFactory(name="Kim Elsewhere")
    assert "Kim Elsewhere" in names(directory())
    # Another web process hides the profile: the database changes without a signal here, and
    # only the feed says so.
    Member.objects.filter(pk=kim.pk).update(visibility=Visibility.HIDDEN)
    assert "Kim Elsewhere" in names(directory())  # nothing announced yet
    member_index.changed([f"m:{kim.pk}"])
    assert "Kim Elsewhere" not in names(directory())


def test_a_lost_feed_rebuilds_the_index_from_the_database(directory):
    lee = MemberFactory(name="Lee Lost")
    assert "Lee Lost" in names(directory())
    Member.objects.filter(pk=lee.pk).update(visibility=Visibility.HIDDEN)
    cache.clear()  # Redis flushed or restarted: the feed and its epoch are gone
    assert "Lee Lost" not in names(directory())


def test_a_full_feed_starts_again_and_every_index_rebuilds(directory, monkeypatch):
    monkeypatch.setattr(member_index, "FEED_LIMIT", 5)
    directory()
    before = member_index.current()
    for n in range(4):
        MemberFactory(name=f"Quokka {n}")  # a few entries each, past the limit
    response = directory(q="Quokka")
    assert names(response) == [f"Quokka {n}" for n in range(4)]
    assert member_index.current() is not before


def test_without_redis_each_page_is_built_from_the_database(directory, monkeypatch):
    directory()
    unreachable = member_index.RedisFeed(redis.Redis(port=1, socket_connect_timeout=0.2))
    monkeypatch.setattr(member_index, "_feed", unreachable)
    moe = MemberFactory(name="Moe Offline")  # the feed cannot be written either
    assert "Moe Offline" in names(directory())
    Member.objects.filter(pk=moe.pk).update(visibility=Visibility.HIDDEN)
    assert "Moe Offline" not in names(directory())


def test_a_remembered_text_search_follows_profile_changes(directory):
    ned = MemberFactory(name="Ned Before")
    assert names(directory(q="Zanzibar")) == []
    services.update_profile(
        member=ned, fields={"name": "Ned Zanzibar"}, expertise=[], challenges=[]
    )
    assert names(directory(q="Zanzibar")) == ["Ned Zanzibar"]
    services.update_profile(member=ned, fields={"name": "Ned After"}, expertise=[], challenges=[])
    assert names(directory(q="Zanzibar")) == []


def test_a_deleted_tag_leaves_the_counts(directory):
    member = MemberFactory(name="Tia Tagged")
    services.update_profile(member=member, fields={}, expertise=[], challenges=["Short lived"])
    assert challenge_counts(directory()) == {"short-lived": 1}
    Tag.objects.filter(slug="short-lived").delete()
    assert challenge_counts(directory()) == {}
    assert directory(challenge="short-lived").context["result"].total == 0


def test_a_renamed_tag_is_shown_by_its_new_name(directory):
    member = MemberFactory(name="Ray Renamed")
    services.update_profile(member=member, fields={}, expertise=[], challenges=["Old name"])
    directory()
    tag = Tag.objects.get(slug="old-name")
    tag.name = "New name"
    tag.save()
    facet = directory().context["result"].facets["challenge"]
    assert [(v.value, v.label) for v in facet] == [("old-name", "New name")]


def test_names_sort_alphabetically_whatever_their_case_and_accents(directory):
    for name in ("émile Zola", "Eamon Yates", "zoe Adams", "Élise Brun"):
        MemberFactory(name=name)
    shown = [n for n in names(directory(sort="name")) if n[0] in "eEéÉzZ"]
    assert shown == ["Eamon Yates", "Élise Brun", "émile Zola", "Eve Othermanager", "zoe Adams"]


def test_a_renamed_member_moves_to_their_new_place_in_the_order(directory):
    for n in range(30):
        MemberFactory(name=f"Order {n:02d}")
    assert names(directory(q="Order", sort="name"))[:2] == ["Order 00", "Order 01"]
    first = Member.objects.get(name="Order 00")
    first.name = "Order 99"
    first.save()
    page2 = names(directory(q="Order", sort="name", page=2))
    assert page2 == ["Order 26", "Order 27", "Order 28", "Order 29", "Order 99"]


def test_every_sort_pages_through_all_results_once(directory):
    for n in range(60):
        MemberFactory(name=f"Pager {n:02d}")
    for sort in ("relevance", "name", "newest", "agency"):
        seen = []
        for page in (1, 2, 3):
            seen += names(directory(q="Pager", sort=sort, page=page))
        assert sorted(seen) == [f"Pager {n:02d}" for n in range(60)], sort


def test_the_agency_order_follows_a_renamed_agency(directory):
    alpha = AgencyFactory(acronym="AAA", name="Alpha Agency")
    zeta = AgencyFactory(acronym="ZZZ", name="Zeta Agency")
    MemberFactory(name="Sorted Zed", agency=zeta)
    MemberFactory(name="Sorted Al", agency=alpha)
    MemberFactory(name="Sorted Org", agency=None, organisation="Acme")
    assert names(directory(q="Sorted", sort="agency")) == ["Sorted Al", "Sorted Zed", "Sorted Org"]
    alpha.name = "Zulu Agency"
    alpha.save()
    assert names(directory(q="Sorted", sort="agency")) == ["Sorted Zed", "Sorted Al", "Sorted Org"]


def test_the_directory_lists_exactly_whom_each_role_may_see(world, client_for):
    """directory.visible restates access.visible_members over the index: they must agree."""
    for n, visibility in enumerate([Visibility.NETWORK, Visibility.COHORTS, Visibility.HIDDEN]):
        for cohort in (world.cohort, world.other_cohort):
            member = MemberFactory(
                name=f"Seen {visibility} {cohort.slug} {n}", visibility=visibility
            )
            MembershipFactory(cohort=cohort, member=member)
    gone = MemberFactory(name="Seen deactivated")
    services.deactivate_account(member=gone)
    for role in ("member", "mate", "outsider", "manager", "other_manager", "admin"):
        response = client_for(role).get(reverse("network:directory"))
        expected = access.visible_members(world.user_for(role)).values_list("name", flat=True)
        assert sorted(names(response)) == sorted(expected), role


def test_a_sort_order_pages_right_through_changes(monkeypatch):
    """Pages of a large result set skip whole blocks of the order; after members join, leave
    and move (and blocks are cut again), every page is still the plain sorted answer."""
    import random

    from network.bitsets import bitset

    monkeypatch.setattr(member_index, "BLOCK", 8)
    rng = random.Random(7)
    order = member_index.SortOrder()
    order.fill((rng.randrange(1000), pk) for pk in range(1, 400))
    for step in range(300):
        pk = rng.randrange(1, 500)
        if step % 3 == 0:
            order.remove(pk)
        elif step % 10:
            order.put((rng.randrange(1000), pk))
        else:
            order.put((-step, pk))  # sorts first: one block grows until it is cut again
        if step % 2 == 0:
            chosen = [pk for pk in order.entry_of if rng.random() < 0.3]
            expected = [entry[-1] for entry in sorted(order.entry_of[pk] for pk in chosen)]
            for start in (0, 5, len(expected) - 3):
                page = order.page(bitset(chosen), len(chosen), start, 5)
                assert page == expected[start : start + 5], (step, start)
