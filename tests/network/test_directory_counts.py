"""The directory's rows and facet counts agree with access.visible_members, whoever looks and
whatever changed, including writes that send no signal and counts shared between viewers."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network import access, directory, services
from network.models import Cohort, CohortMembership, Member, MemberType, Role, Tag, User, Visibility
from tests.factories import (
    AgencyFactory,
    CohortFactory,
    InvitationFactory,
    MemberFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [m.name for m in response.context["result"].page.object_list]


def facet(response, name: str) -> dict[str, int]:
    return {v.value: v.count for v in response.context["result"].facets[name]}


def test_a_profile_hidden_by_a_bare_update_leaves_rows_at_once_and_counts_with_the_bump(
    world, client_for
):
    kim = MemberFactory(name="Kim Elsewhere")
    services.update_profile(member=kim, fields={}, expertise=[], challenges=["Open data"])
    url = reverse("network:directory")
    for role in ("outsider", "mate"):  # counts shared between viewers are now in the cache
        response = client_for(role).get(url)
        assert "Kim Elsewhere" in names(response)
        assert facet(response, "challenge") == {"open-data": 1}
    # Another process, a shell or a bulk job: no signal, no service, just the row.
    Member.objects.filter(pk=kim.pk).update(visibility=Visibility.HIDDEN)
    response = client_for("outsider").get(url)
    assert "Kim Elsewhere" not in names(response)  # rows are always read afresh
    directory.members_changed(member_ids=[kim.pk])  # what the services do after such a write
    for role in ("outsider", "mate"):
        response = client_for(role).get(url, {"challenge": "open-data"})
        assert names(response) == [] and response.context["result"].total == 0, role
        assert facet(client_for(role).get(url), "challenge") == {}, role


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_a_service_is_counted_by_the_next_page(world, client_for):
    ivy = MemberFactory(name="Ivy Counted", member_type=MemberType.CAREER)
    services.index_members(member_ids=[ivy.pk])
    url = reverse("network:directory")
    before = facet(client_for("outsider").get(url), "member_type")
    with transaction.atomic():
        services.leave_government(member=ivy)
    after = facet(client_for("outsider").get(url), "member_type")
    assert after["career"] == before["career"] - 1
    assert after["alumnus"] == before.get("alumnus", 0) + 1


def test_joining_and_leaving_a_cohort_through_the_services_moves_its_count(world, client_for):
    url = reverse("network:directory")
    assert facet(client_for("member").get(url), "cohort") == {"class-2026": 3}
    newcomer = MemberFactory(name="New Comer")
    invitation = InvitationFactory(cohort=world.cohort, email=newcomer.user.email)
    membership = services.accept_invitation(invitation=invitation, user=newcomer.user)
    assert facet(client_for("member").get(url), "cohort") == {"class-2026": 4}
    services.remove_member(membership=membership, actor=world.manager.user)
    assert facet(client_for("member").get(url), "cohort") == {"class-2026": 3}


def test_counts_of_a_new_block_of_members_are_made_for_it(world, client_for, monkeypatch):
    monkeypatch.setattr("network.directory.counts.CHUNK", 2)  # every two member ids make a block
    url = reverse("network:directory")
    assert client_for("member").get(url).context["result"].total == 6
    for n in range(5):
        services.index_members(member_ids=[MemberFactory(name=f"Block {n}").pk])
    response = client_for("member").get(url, {"q": "Block"})
    assert response.context["result"].total == 5
    assert client_for("member").get(url).context["result"].total == 11


def test_counts_follow_change_after_change_even_when_a_block_s_counts_are_evicted(
    world, client_for, monkeypatch
):
    """After a change the kept sum is corrected by the changed blocks (their counts as they
    were, then as they are); with those former counts gone from the cache, everything is
    added up again. Either way the counts are the plain ones."""
    monkeypatch.setattr("network.directory.counts.CHUNK", 2)  # every two member ids make a block
    members = [MemberFactory(name=f"Step {n}", member_type=MemberType.CAREER) for n in range(6)]
    services.index_members(member_ids=[m.pk for m in members])
    url = reverse("network:directory")
    outsider = world.user_for("outsider")

    def shown() -> dict[str, int]:
        return facet(client_for("outsider").get(url), "member_type")

    def plain() -> dict[str, int]:
        return dict(Counter(access.visible_members(outsider).values_list("member_type", flat=True)))

    assert shown() == plain()
    for n, member in enumerate(members):
        services.leave_government(member=member)
        if n == 1:
            services.update_profile(
                member=members[5],
                fields={"visibility": Visibility.HIDDEN},
                expertise=[],
                challenges=[],
            )
        if n == 3:  # the cache let the blocks' counts go, but kept their sum
            redis = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
            redis.delete(*redis.keys("*directory:counts:*"))
        assert shown() == plain(), n
    assert plain()["alumnus"] >= 5


def test_counts_kept_for_blocks_of_another_size_are_not_read(world, client_for, monkeypatch):
    """A deploy that changes the block size finds the blocks kept by the one before: they are
    other blocks, whatever their numbers."""
    for n in range(6):
        services.index_members(member_ids=[MemberFactory(name=f"Sized {n}").pk])
    url = reverse("network:directory")
    expected = access.visible_members(world.user_for("outsider")).count()
    for size in (4, 2, 4):
        monkeypatch.setattr("network.directory.counts.CHUNK", size)
        assert client_for("outsider").get(url).context["result"].total == expected, size


def test_the_directory_lists_exactly_whom_each_role_may_see(world, client_for):
    for n, visibility in enumerate([Visibility.NETWORK, Visibility.COHORTS, Visibility.HIDDEN]):
        for cohort in (world.cohort, world.other_cohort):
            member = MemberFactory(
                name=f"Seen {visibility} {cohort.slug} {n}", visibility=visibility
            )
            MembershipFactory(cohort=cohort, member=member)
    services.deactivate_account(member=MemberFactory(name="Seen deactivated"))
    for role in ("member", "mate", "outsider", "manager", "other_manager", "admin"):
        response = client_for(role).get(reverse("network:directory"))
        expected = access.visible_members(world.user_for(role)).values_list("name", flat=True)
        assert sorted(names(response)) == sorted(expected), role
        assert response.context["result"].total == len(expected), role


def test_query_count_is_the_same_for_one_and_many_results_changed_or_not(
    world, client_for, django_assert_num_queries
):
    client = client_for("member")
    url = reverse("network:directory")
    client.get(url)  # the session's one-off checks
    # Changed: the profile's block is counted again (one query more than warm).
    only = MemberFactory(name="Only One")
    services.update_profile(member=only, fields={}, expertise=["Solo"], challenges=["Rare"])
    with django_assert_num_queries(CHANGED):
        assert names(client.get(url, {"q": "Only"})) == ["Only One"]
    with django_assert_num_queries(WARM):
        assert names(client.get(url, {"q": "Only"})) == ["Only One"]
    for n in range(40):
        member = MemberFactory(name=f"Plentiful {n}")
        services.update_profile(member=member, fields={}, expertise=["Shared"], challenges=["C"])
    with django_assert_num_queries(CHANGED):
        response = client.get(url, {"q": "Plentiful"})
    assert len(names(response)) == 25 and response.context["result"].total == 40
    with django_assert_num_queries(WARM):
        client.get(url, {"q": "Plentiful", "page": 2})


# Session and user (2), agencies, cohorts seen, counts over the viewer's own part (with the
# highest member id), the page's ranked ids, its rows with their tags, tag names.
WARM = 8
CHANGED = WARM + 1  # the changed block's shared counts


# Over random networks ---------------------------------------------------------------------

profiles = st.lists(
    st.fixed_dictionaries(
        {
            "visibility": st.sampled_from(Visibility.values),
            "member_type": st.sampled_from([MemberType.CAREER, MemberType.APPOINTEE]),
            "agency": st.integers(0, 2),
            "time_zone": st.sampled_from(["America/Chicago", "Europe/Paris"]),
            "challenges": st.sets(st.integers(0, 2), max_size=2),
            "cohorts": st.dictionaries(
                st.integers(0, 2), st.sampled_from([Role.MEMBER, Role.MANAGER]), max_size=2
            ),
            "active": st.booleans(),
        }
    ),
    min_size=1,
    max_size=8,
)


def _build(rows: list[dict]) -> list[Member]:
    dept = AgencyFactory(acronym="HDEPT", name="Department")
    agencies = [dept, AgencyFactory(acronym="HSUB", name="Sub", parent=dept), None]
    first, second = ProgramFactory(), ProgramFactory()
    cohorts = [CohortFactory(program=first), CohortFactory(program=first)]
    cohorts.append(CohortFactory(program=second))
    tags = [Tag.objects.create(name=f"Tag {n}", slug=f"h-tag-{n}") for n in range(3)]
    members = []
    for n, row in enumerate(rows):
        member = MemberFactory(
            name=f"Random {n}", visibility=row["visibility"], member_type=row["member_type"],
            agency=agencies[row["agency"]], time_zone=row["time_zone"],
            user=UserFactory(is_active=row["active"]),
        )  # fmt: skip
        member.challenges.set([tags[t] for t in row["challenges"]])
        for cohort, role in row["cohorts"].items():
            MembershipFactory(cohort=cohorts[cohort], member=member, role=role)
        members.append(member)
    directory.members_changed(member_ids=[m.pk for m in members])  # as the services do
    return members


def _plain_counts(user, filters: directory.Filters) -> dict[str, dict[str, int]]:
    """Each facet value's count, counted the plain way over visible_members(user)."""
    visible = access.visible_members(user)
    seen = access.visible_cohorts(user)
    if filters.challenge:
        tagged = Member.objects.filter(challenges__slug=filters.challenge)
        visible = visible.filter(pk__in=tagged.values("pk"))
    if filters.cohort:
        inside = CohortMembership.objects.filter(cohort__in=seen.filter(slug=filters.cohort))
        visible = visible.filter(pk__in=inside.values("member"))
    counts: dict[str, dict[str, int]] = {"member_type": {}, "challenge": {}, "time_zone": {}}
    for member in visible:
        for kind, value in (("member_type", member.member_type), ("time_zone", member.time_zone)):
            counts[kind][value] = counts[kind].get(value, 0) + 1
    for tag in Tag.objects.filter(slug__startswith="h-tag-"):
        if n := visible.filter(challenges=tag).count():
            counts["challenge"][tag.slug] = n
    counts["cohort"] = {
        c.slug: n for c in seen if (n := visible.filter(memberships__cohort=c).count())
    }
    counts["program"] = {}
    for program in {c.program for c in seen}:
        mine = visible.filter(memberships__cohort__in=seen.filter(program=program)).distinct()
        if n := mine.count():
            counts["program"][program.slug] = n
    departments = visible.filter(agency__acronym__in=["HDEPT", "HSUB"]).count()
    counts["agency"] = {"HDEPT": departments} if departments else {}
    counts["total"] = {"": visible.count()}
    return counts


def _shown(user, filters: directory.Filters) -> tuple[dict[str, dict[str, int]], list[int]]:
    result = directory.search(user, filters)
    counts = {
        name: {v.value: v.count for v in result.facets[name]}
        for name in ("member_type", "challenge", "time_zone", "cohort", "program", "agency")
    }
    counts["total"] = {"": result.total}
    return counts, sorted(m.pk for m in result.page.object_list)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=profiles,
    viewer=st.integers(0, 7),
    admin=st.booleans(),
    narrowed=st.sampled_from(["", "challenge", "cohort"]),
)
def test_rows_and_counts_equal_plain_counts_over_visible_members(
    db, monkeypatch, rows, viewer, admin, narrowed
):
    # Blocks of two member ids: each example's members span several blocks, and cross into
    # blocks counted by the examples before.
    monkeypatch.setattr("network.directory.counts.CHUNK", 2)
    # Each example counts members that its rollback then removes, which no service does (a
    # page is never counted inside the transaction that changes members): so its blocks are
    # retired after the rollback, as the services retire them after a commit.
    changed: list[int] = []
    try:
        with transaction.atomic():
            members = _build(rows)
            changed.extend(m.pk for m in members)
            user = members[viewer % len(members)].user
            if admin:
                user = User.objects.create(email="random-admin@example.gov", is_staff=True)
            cohort = Cohort.objects.order_by("pk").first()
            filters = directory.Filters(
                challenge="h-tag-0" if narrowed == "challenge" else "",
                cohort=cohort.slug if narrowed == "cohort" else "",
            )
            for _ in range(2):  # counted, then from the shared counts
                counts, shown = _shown(user, filters)
                assert counts == _plain_counts(user, filters)
            expected = access.visible_members(user)
            if narrowed == "challenge":
                expected = expected.filter(challenges__slug="h-tag-0")
            elif narrowed == "cohort":
                seen = access.visible_cohorts(user).filter(pk=cohort.pk)
                expected = expected.filter(memberships__cohort__in=seen)
            assert shown == sorted(set(expected.values_list("pk", flat=True)))
            transaction.set_rollback(True)
    finally:
        directory.members_changed(member_ids=changed)
