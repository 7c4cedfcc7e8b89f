"""Two people in one cohort, two browsers: A posts and mentions B, B's bell shows it, B replies,
and A sees the reply arrive without reloading. axe runs on every page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from messaging.discussions import services
from tests.e2e.conftest import assert_accessible, visit
from tests.factories import PASSWORD, CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, email: str) -> None:
    visit(page, reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_mention_bell_reply_and_live_update(new_page):
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    ada = MemberFactory(name="Ada Lovelace")
    bo = MemberFactory(name="Bo Builder")
    for member in (ada, bo):
        MembershipFactory(cohort=cohort, member=member)
    services.ensure_cohort_boards([cohort])

    a, b = new_page(), new_page()
    sign_in(a, ada.user.email)
    sign_in(b, bo.user.email)

    # A starts a thread on the cohort board and mentions B through the autocomplete.
    visit(a, reverse("discussions:boards"))
    a.get_by_role("link", name="Class of 2026").click()
    assert_accessible(a)
    a.get_by_role("link", name="Start a thread").click()
    expect(a.get_by_text("Records mode: Informal.")).to_be_visible()
    assert_accessible(a)
    a.get_by_label("Title").fill("Hiring across agencies")
    body = a.get_by_label("Message")
    body.fill("What has worked for you, ")
    body.press_sequentially("@Bo")
    a.get_by_role("button", name="Bo Builder").click()
    expect(body).to_have_value(re.compile(r"@\[Bo Builder\]\(\d+\) $"))
    body.press_sequentially("?")
    a.get_by_role("button", name="Post thread").click()
    expect(a.get_by_role("heading", name="Hiring across agencies")).to_be_visible()
    assert_accessible(a)

    # B's bell shows the mention; the list leads to the thread.
    b.reload()
    bell = b.locator(".convene-bell")
    expect(bell).to_contain_text("1")
    assert_accessible(b)
    bell.click()
    expect(b.get_by_role("heading", name="Notifications")).to_be_visible()
    assert_accessible(b)
    b.get_by_role("link", name=re.compile("mentioned you")).click()
    expect(b.get_by_role("heading", name="Hiring across agencies")).to_be_visible()
    assert_accessible(b)

    # B replies; A, still on the thread page, sees it appear without reloading.
    b.get_by_label("Your reply").fill("Shared certificates of eligibility.")
    b.get_by_role("button", name="Post reply").click()
    expect(b.get_by_text("Shared certificates of eligibility.")).to_be_visible()
    expect(a.get_by_text("Shared certificates of eligibility.")).to_be_visible(timeout=12_000)
    expect(a.locator("[data-thread-status]")).to_have_text("1 new reply below.")
    assert_accessible(a)
