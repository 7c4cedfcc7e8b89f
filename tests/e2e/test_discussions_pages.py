"""The discussion pages the two-browser walk does not reach, each opened in the browser with an
axe check: search, notifications and their settings, reporting, editing and its history, the
moderation queue, muting a member, and the one-click unsubscribe page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from messaging.discussions import services
from messaging.discussions.emails import unsubscribe_token
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_discussions_walk import sign_in
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def check(page, path: str, heading: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response and response.status)
    expect(page.get_by_role("heading", level=1, name=heading, exact=False)).to_be_visible()
    assert_accessible(page)


def test_every_other_discussion_page_passes_axe(new_page, settings):
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    ada, bo = MemberFactory(name="Ada Lovelace"), MemberFactory(name="Bo Builder")
    dee = MemberFactory(name="Dee Manager")
    settings.MFA_EXEMPT_EMAILS = {dee.user.email}
    for member in (ada, bo):
        MembershipFactory(cohort=cohort, member=member)
    MembershipFactory(cohort=cohort, member=dee, role="manager")
    services.ensure_cohort_boards([cohort])
    board = cohort.board
    thread = services.start_thread(
        board=board, author=ada, title="Hiring pipelines", body="What works for *you*?"
    )
    reply = services.post_reply(thread=thread, author=bo, body="Structured interviews.")
    services.edit_post(post=reply, body="Structured interviews, and fast offers.")
    services.report_post(post=reply, reporter=ada, reason="Testing the queue.")

    page = new_page()
    sign_in(page, ada.user.email)
    check(page, reverse("discussions:search") + "?q=interviews", "Search")
    check(page, reverse("discussions:notifications"), "Notifications")
    check(page, reverse("discussions:preferences"), "")
    check(page, reverse("discussions:report", args=[reply.pk]), "Report")
    opening = thread.posts.get(number=1)
    check(page, reverse("discussions:post_edit", args=[opening.pk]), "Edit")
    check(page, reverse("discussions:unsubscribe", args=[unsubscribe_token(ada)]), "")
    page.get_by_role("button", name="Sign out").click()

    manager = new_page()
    sign_in(manager, dee.user.email)
    check(manager, reverse("discussions:queue"), "")
    check(manager, reverse("discussions:post_history", args=[reply.pk]), "")
    check(manager, reverse("discussions:board_mute", args=[board.slug]), "")
