"""What a person does with their account, in a real browser, with axe on every page."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, link_in_last_email, visit
from tests.factories import PASSWORD, InvitationFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)
NEW_PASSWORD = "a-new-and-longer-passphrase-2026"


def sign_in(page, email: str, password: str = PASSWORD) -> None:
    visit(page, reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def totp_code(secret: str, steps_ahead: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + steps_ahead))


def test_member_signs_in_and_out(page):
    member = MemberFactory(name="Ada Lovelace")
    MembershipFactory(member=member, cohort__name="Class of 2026")
    sign_in(page, member.user.email)
    expect(page.get_by_role("heading", name="Welcome, Ada Lovelace")).to_be_visible()
    expect(page.get_by_role("link", name="Class of 2026")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Convene")).to_be_visible()
    assert_accessible(page)


def test_wrong_password_says_so(page):
    member = MemberFactory()
    sign_in(page, member.user.email, "not-the-password")
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    assert_accessible(page)


def test_signup_without_invitation_explains_the_network_is_invitation_only(page):
    visit(page, reverse("account_signup"))
    expect(page.get_by_role("heading", name="Convene is invitation-only")).to_be_visible()


def test_invited_person_signs_up_and_lands_in_the_cohort_at_once(page):
    """The invitation link was mailed to the address, so following it proves the address: the
    invited person is not asked to confirm it a second time."""
    invitation = InvitationFactory(email="ivy@example.gov", cohort__name="Deputies Circle")
    visit(page, reverse("network:invitation", args=[invitation.signed_token]))
    page.get_by_label("Email").fill("ivy@example.gov")
    page.get_by_label("Full name").fill("Ivy Invitee")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome, Ivy Invitee")).to_be_visible()
    expect(page.get_by_role("link", name="Deputies Circle")).to_be_visible()
    assert_accessible(page)


def test_expired_invitation_shows_a_clear_page(page):
    invitation = InvitationFactory(revoked_at="2026-01-01T00:00:00Z")
    visit(page, reverse("network:invitation", args=[invitation.signed_token]))
    expect(page.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()


def test_manager_enrols_in_mfa_then_signs_in_with_a_code(page):
    manager = MemberFactory()
    MembershipFactory(member=manager, role="manager")
    sign_in(page, manager.user.email)
    # allauth asks for the password again before a second factor is added.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, manager.user.email)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()


def test_member_resets_a_forgotten_password(page):
    member = MemberFactory()
    visit(page, reverse("account_reset_password"))
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", name="Password Reset")).to_be_visible()
    assert_accessible(page)

    visit(page, link_in_last_email(r"https?://\S+/accounts/password/reset/key/\S+"))
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()
    assert_accessible(page)
    sign_in(page, member.user.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
