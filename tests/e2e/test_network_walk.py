"""The network's main walk in a real browser, with axe on every page: a manager creates a cohort
and invites two people by CSV; an invitee accepts, fills in the profile and appears in the
directory; another member finds them by a challenge tag."""

from __future__ import annotations

import re
from datetime import date

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from network.models import Position
from tests.e2e.conftest import assert_accessible, visit
from tests.e2e.test_accounts import NEW_PASSWORD, sign_in, totp_code
from tests.factories import AgencyFactory, MemberFactory, MembershipFactory, ProgramFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = b"name,email,member type,agency,title\nIvy Invitee,ivy@example.gov,Career executive,,CIO\n"
CSV += b"Jon Second,jon@example.gov,Political appointee,,Deputy Secretary\n"


def invitation_path_for(email: str) -> str:
    message = next(m for m in mail.outbox if email in m.to)
    return re.search(r"/invitations/\S+/", message.body).group(0)


def test_manager_invites_by_csv_and_a_peer_finds_the_invitee_by_challenge(new_page):
    program = ProgramFactory(name="Senior Executive Fellows")
    manager = MemberFactory(name="Casey Manager")
    program.leads.add(manager)
    MembershipFactory(member=manager, role="manager")
    secret = generate_totp_secret()
    TOTP.activate(manager.user, secret)
    peer = MemberFactory(name="Pat Peer")
    MembershipFactory(member=peer)

    # The manager signs in with a second factor and creates a cohort.
    page = new_page()
    sign_in(page, manager.user.email)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name="Welcome, Casey Manager")).to_be_visible()
    visit(page, reverse("network:cohorts"))
    page.get_by_role("link", name="Create a cohort").click()
    assert_accessible(page)
    page.get_by_label("Program").select_option(label="Senior Executive Fellows")
    page.get_by_label("Name").fill("SEF Class of 2027")
    page.get_by_role("button", name="Create cohort").click()
    expect(page.get_by_role("heading", name="Manage SEF Class of 2027")).to_be_visible()
    assert_accessible(page)

    # ... and invites two people from a CSV file.
    page.get_by_role("link", name="Invite people").click()
    assert_accessible(page)
    page.locator("#id_file").set_input_files(
        files=[{"name": "people.csv", "mimeType": "text/csv", "buffer": CSV}]
    )
    page.get_by_role("button", name="Upload and invite").click()
    expect(page.get_by_text("2 invitations sent")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back to managing SEF Class of 2027").click()
    expect(page.get_by_role("row", name=re.compile("ivy@example.gov.*Sent"))).to_be_visible()
    assert_accessible(page)

    # The first invitee accepts, verifies the address and fills in the profile.
    invitee = new_page()
    visit(invitee, invitation_path_for("ivy@example.gov"))
    invitee.get_by_label("Email").fill("ivy@example.gov")
    invitee.get_by_label("Full name").fill("Ivy Invitee")
    invitee.locator("#id_password1").fill(NEW_PASSWORD)
    invitee.locator("#id_password2").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Sign up").click()
    # The invitation link proved the address: no second confirmation e-mail.
    expect(invitee.get_by_role("link", name="SEF Class of 2027")).to_be_visible()
    visit(invitee, reverse("network:profile_edit"))
    invitee.get_by_label("Headline").fill("Chief Information Officer")
    invitee.get_by_label("Challenges I am working on").fill("Workforce retention, AI adoption")
    invitee.get_by_label("About me").fill("I modernise **legacy** systems.")
    invitee.get_by_role("button", name="Save profile").click()
    expect(invitee.get_by_role("heading", name="Ivy Invitee")).to_be_visible()
    expect(invitee.locator("strong", has_text="legacy")).to_be_visible()
    assert_accessible(invitee)
    visit(invitee, reverse("network:directory") + "?q=Ivy")
    expect(invitee.get_by_role("link", name="Ivy Invitee")).to_be_visible()

    # Another member finds her by the challenge she is working on.
    other = new_page()
    sign_in(other, peer.user.email)
    other.get_by_role("link", name="Directory").click()
    assert_accessible(other)
    other.get_by_label("Working on").select_option(label="Workforce retention (1)")
    other.get_by_role("button", name="Search").click()
    expect(other.get_by_role("heading", name="1 member found")).to_be_visible()
    other.get_by_role("link", name="Ivy Invitee").click()
    expect(other.get_by_role("heading", name="Ivy Invitee")).to_be_visible()
    assert_accessible(other)


def test_new_holder_names_the_previous_one_and_both_profiles_introduce_them(page):
    hhs = AgencyFactory(acronym="HHS", name="Department of Health and Human Services")
    jane = MemberFactory(name="Jane Doe", headline="Former Deputy CIO")
    Position.objects.create(member=jane, title="Deputy CIO", agency=hhs, ends_on=date(2025, 1, 20))
    newcomer = MemberFactory(name="Sam Newcomer")

    # The new holder adds the role and picks the previous holder from the suggestions.
    sign_in(page, newcomer.user.email)
    visit(page, reverse("network:positions"))
    page.get_by_label("Title").fill("Deputy CIO")
    page.get_by_label("Agency", exact=True).select_option(
        label="Department of Health and Human Services"
    )
    picker = page.get_by_label("Previous holder of this seat")
    picker.press_sequentially("Jane", delay=50)
    expect(page.locator("#convene-member-list option")).to_have_count(1)
    expect(page.locator('#convene-member-list option[value="Jane Doe"]')).to_have_count(1)
    picker.fill("Jane Doe")
    page.get_by_role("button", name="Add role").click()
    expect(page.get_by_text("The role has been added to your history.")).to_be_visible()
    expect(page.get_by_role("cell", name="Jane Doe")).to_be_visible()
    assert_accessible(page)

    # Editing the role shows the name; the seat page (for holders and managers) works too.
    page.get_by_role("link", name="Edit Deputy CIO").click()
    expect(page.get_by_label("Previous holder of this seat")).to_have_value("Jane Doe")
    assert_accessible(page)
    position = Position.objects.get(member=newcomer)
    visit(page, reverse("network:position_predecessor", args=[newcomer.pk, position.pk]))
    page.get_by_role("button", name="Save").click()

    # Both profiles introduce them, with a link to each other.
    expect(page.get_by_text("as Deputy CIO, HHS")).to_be_visible()
    page.get_by_role("link", name="Jane Doe").click()
    expect(page.get_by_role("heading", name="Jane Doe")).to_be_visible()
    expect(page.get_by_text("Succeeded by Sam Newcomer as Deputy CIO, HHS")).to_be_visible()
    assert_accessible(page)
