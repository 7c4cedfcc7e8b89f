"""Which actions a post offers, per role, decided once in access.post_actions; the views agree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.discussions import services
from messaging.discussions.access import post_actions


@pytest.fixture
def post(world, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    return thread.posts.select_related("thread").get()


@pytest.mark.parametrize(
    ("role", "moderator", "open_thread", "locked_thread"),
    [
        ("member", False, {"quote", "edit"}, set()),  # the author
        ("mate", False, {"quote", "report"}, {"report"}),
        ("manager", True, {"quote", "report", "hide"}, {"quote", "report", "hide"}),
    ],
)
def test_each_role_is_offered_what_it_may_do(
    world, post, role, moderator, open_thread, locked_thread
):
    me = getattr(world, role)
    assert post_actions(me, moderator=moderator, thread=post.thread, post=post) == open_thread
    post.thread.locked = True
    assert post_actions(me, moderator=moderator, thread=post.thread, post=post) == locked_thread


def test_a_deleted_post_offers_nothing(world, post):
    services.delete_post(post=post)
    post.refresh_from_db()
    assert post_actions(world.manager, moderator=True, thread=post.thread, post=post) == set()


def test_reporting_your_own_post_is_refused_by_the_view_too(world, client_for, post):
    response = client_for("member").get(reverse("discussions:report", args=[post.pk]))
    assert response.status_code == 403
    assert client_for("mate").get(reverse("discussions:report", args=[post.pk])).status_code == 200


def test_a_moderator_can_quote_on_a_locked_thread_from_the_page(world, client_for, post):
    services.moderate_thread(thread=post.thread, action="lock", actor=world.manager.user)
    page = client_for("manager").get(reverse("discussions:thread", args=[post.thread.pk])).text
    assert f"?quote={post.pk}#reply" in page
