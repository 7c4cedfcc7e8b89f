"""The request's user is read with their member profile and whether they manage a cohort, so
pages and the MFA rule ask neither again (network.backends)."""

from __future__ import annotations

from network.access import is_manager, member_for
from network.backends import MemberBackend
from tests.factories import UserFactory


def test_the_requests_user_comes_with_their_member_and_whether_they_manage(
    world, django_assert_num_queries
):
    with django_assert_num_queries(1):
        manager = MemberBackend().get_user(world.manager.user_id)
    with django_assert_num_queries(1):
        member = MemberBackend().get_user(world.member.user_id)
    with django_assert_num_queries(0):
        assert member_for(manager) == world.manager and is_manager(manager)
        assert member_for(member) == world.member and not is_manager(member)


def test_an_account_without_a_member_profile_has_none_without_a_query(
    db, django_assert_num_queries
):
    account = MemberBackend().get_user(UserFactory().pk)
    with django_assert_num_queries(0):
        assert member_for(account) is None and not is_manager(account)


def test_an_inactive_account_is_not_loaded(world):
    world.member.user.is_active = False
    world.member.user.save(update_fields=["is_active"])
    assert MemberBackend().get_user(world.member.user_id) is None
