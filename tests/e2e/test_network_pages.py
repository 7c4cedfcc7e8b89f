"""The member and cohort pages the network walk does not reach, each opened in the browser with
an axe check: home, a cohort's page and its edit form, deactivation, and a
bad invitation link."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible
from tests.e2e.test_discussions_walk import sign_in
from tests.factories import CohortFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def check(page, path: str, heading: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    expect(page.get_by_role("heading", level=1, name=heading, exact=False)).to_be_visible()
    assert_accessible(page)


def test_every_other_member_and_cohort_page_passes_axe(new_page, settings):
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    ada = MemberFactory(name="Ada Lovelace")
    dee = MemberFactory(name="Dee Manager")
    settings.MFA_EXEMPT_EMAILS = {dee.user.email}
    MembershipFactory(cohort=cohort, member=ada)
    MembershipFactory(cohort=cohort, member=dee, role="manager")

    page = new_page()
    sign_in(page, ada.user.email)
    check(page, reverse("network:home"), "Welcome")
    check(page, reverse("network:cohort", args=[cohort.slug]), "Class of 2026")
    check(page, reverse("network:deactivate"), "")
    check(page, reverse("network:invitation", args=["not-a-real-token"]), "", status=404)
    page.get_by_role("button", name="Sign out").click()

    manager = new_page()
    sign_in(manager, dee.user.email)
    check(manager, reverse("network:cohort_edit", args=[cohort.slug]), "")
