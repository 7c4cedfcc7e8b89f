"""Sign-up is by invitation only: a valid link makes an account and joins the cohort."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from network.models import AuditEntry, CohortMembership, Member, Role, User
from tests.factories import InvitationFactory, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email: str, password: str = "a-long-and-unusual-passphrase"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "name": "Ivy Invitee", "password1": password, "password2": password},
    )


def test_signup_page_without_invitation_says_network_is_invitation_only(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "invitation-only" in response.text
    assert 'name="password1"' not in response.text


def test_posting_signup_without_invitation_makes_no_account(client):
    sign_up(client, "sneaky@example.com")
    assert not User.objects.filter(email="sneaky@example.com").exists()


def test_valid_invitation_leads_to_signup_that_joins_the_cohort(client):
    invitation = InvitationFactory(email="ivy@example.gov", role=Role.MANAGER)
    response = client.get(reverse("network:invitation", args=[invitation.signed_token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_signup")

    response = sign_up(client, "ivy@example.gov")
    assert response.status_code == 302
    member = Member.objects.get(user__email="ivy@example.gov")
    assert member.name == "Ivy Invitee"
    membership = CohortMembership.objects.get(member=member)
    assert (membership.cohort, membership.role) == (invitation.cohort, Role.MANAGER)
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.opened_at is not None
    # The link was mailed to that address, so holding it proves the address: no second e-mail.
    assert EmailAddress.objects.get(email="ivy@example.gov").verified
    assert AuditEntry.objects.filter(action="signup", actor_email="ivy@example.gov").exists()


def test_signing_up_with_another_address_joins_nobody_until_confirmed_and_accepted(client):
    invitation = InvitationFactory(email="ivy@example.gov")
    client.get(reverse("network:invitation", args=[invitation.signed_token]))
    sign_up(client, "someone.else@example.com")
    user = User.objects.get(email="someone.else@example.com")
    assert not CohortMembership.objects.filter(member__user=user).exists()
    assert not EmailAddress.objects.get(user=user).verified
    # Confirming the address signs them in and asks them to accept explicitly.
    confirm = re.search(r"/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    response = client.post(confirm)
    assert response["Location"] == reverse("network:invitation", args=[invitation.signed_token])
    assert not CohortMembership.objects.filter(member__user=user).exists()
    client.post(response["Location"])
    assert CohortMembership.objects.filter(member__user=user, cohort=invitation.cohort).exists()
    assert AuditEntry.objects.filter(action="invitation_accepted_by_other_address").exists()


@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "expired"),
        ({"accepted_at": timezone.now()}, 410, "already been used"),
        ({"revoked_at": timezone.now()}, 410, "withdrawn"),
    ],
)
def test_unusable_invitation_shows_a_clear_page_and_makes_no_account(client, change, status, text):
    invitation = InvitationFactory(email="late@example.gov", **change)
    response = client.get(reverse("network:invitation", args=[invitation.signed_token]))
    assert response.status_code == status
    assert text in response.text
    sign_up(client, "late@example.gov")
    assert not User.objects.filter(email="late@example.gov").exists()


def test_forged_token_is_refused(client):
    invitation = InvitationFactory()
    forged = invitation.token + ":not-the-signature"
    response = client.get(reverse("network:invitation", args=[forged]))
    assert response.status_code == 404
    assert "not valid" in response.text


def test_opening_an_invitation_signed_in_changes_nothing_until_accepted(client):
    member = MemberFactory()
    MembershipFactory(member=member)
    invitation = InvitationFactory(email=member.user.email)
    client.force_login(member.user)
    response = client.get(reverse("network:invitation", args=[invitation.signed_token]))
    assert response.status_code == 200
    assert f"Join {invitation.cohort.name}" in response.text
    assert not member.memberships.filter(cohort=invitation.cohort).exists()
    response = client.post(reverse("network:invitation", args=[invitation.signed_token]))
    assert response.status_code == 302
    assert member.memberships.filter(cohort=invitation.cohort).exists()
    assert User.objects.count() == 1
    assert AuditEntry.objects.filter(action="invitation_accepted").exists()


def test_someone_elses_manager_invitation_opened_by_a_member_grants_nothing(client):
    member = MemberFactory()
    invitation = InvitationFactory(email="the.real.manager@example.gov", role=Role.MANAGER)
    client.force_login(member.user)
    response = client.get(reverse("network:invitation", args=[invitation.signed_token]))
    assert "This invitation was sent to" in response.text
    assert not member.memberships.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_someone_elses_invitation_tells_the_manager_who_sent_it(
    client, world, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(email="intended@example.gov", invited_by=world.manager)
    client.force_login(world.outsider.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network:invitation", args=[invitation.signed_token]))
    told = [m for m in mail.outbox if world.manager.user.email in m.to]
    assert len(told) == 1
    assert "intended@example.gov" in told[0].body
    assert world.outsider.user.email in told[0].body


def test_invitation_for_existing_account_asks_to_sign_in_then_joins(client):
    member = MemberFactory()
    invitation = InvitationFactory(email=member.user.email)
    response = client.get(reverse("network:invitation", args=[invitation.signed_token]))
    assert response["Location"] == reverse("account_login")
    response = client.post(
        reverse("account_login"),
        {"login": member.user.email, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert member.memberships.filter(cohort=invitation.cohort).exists()
