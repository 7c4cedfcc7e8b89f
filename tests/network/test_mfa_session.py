"""Managers and administrators act only from a session that itself passed MFA."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from network import services
from network.models import Role
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def manage_url(world) -> str:
    return reverse("network:cohort_manage", kwargs={"slug": world.cohort.slug})


def test_manager_signed_in_by_password_only_must_prove_the_second_factor(client, world):
    client.force_login(world.manager.user)
    response = client.get(manage_url(world))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next={manage_url(world)}"


def test_manager_who_proves_the_code_reaches_the_page_they_asked_for(client, world):
    world.manager.user.authenticator_set.all().delete()
    secret = generate_totp_secret()
    TOTP.activate(world.manager.user, secret)
    client.force_login(world.manager.user)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(
        f"{reverse('mfa_reauthenticate')}?next={manage_url(world)}", {"code": code}
    )
    assert response.status_code == 302
    assert client.get(manage_url(world)).status_code == 200


def test_member_promoted_to_manager_is_stopped_until_the_session_passes_mfa(client, world):
    sign_in(client, world.member.user)
    assert client.get(reverse("network:home")).status_code == 200
    membership = world.cohort.memberships.get(member=world.member)
    services.set_role(membership=membership, role=Role.MANAGER, actor=world.admin.user)
    response = client.get(manage_url(world))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_plain_member_is_never_asked_for_a_second_factor(client, world):
    client.force_login(world.member.user)
    assert client.get(reverse("network:home")).status_code == 200


def test_background_fetch_of_an_unproven_manager_session_is_refused_not_redirected(client, world):
    client.force_login(world.manager.user)
    response = client.get(reverse("discussions:bell"), headers={"Sec-Fetch-Mode": "cors"})
    assert response.status_code == 403
