"""The Django admin signs people in only through allauth: MFA, the throttle and the lockout."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_admin_login_page_sends_to_the_sites_own_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/"


def test_admin_password_posted_to_the_admin_login_signs_nobody_in(client, world):
    response = client.post(
        "/admin/login/", {"username": world.admin.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_administrator_with_totp_is_not_signed_in_by_password_alone(client, world):
    response = client.post(
        reverse("account_login"), {"login": world.admin.user.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 302


def test_admin_pages_refuse_a_session_that_skipped_mfa(client, world):
    client.force_login(world.admin.user)  # a session with no second factor in it
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_admin_pages_open_once_the_session_passed_mfa(client, world):
    sign_in(client, world.admin.user)
    assert client.get("/admin/").status_code == 200


def test_a_locked_administrator_cannot_get_in_through_the_admin(client, world):
    email = world.admin.user.email
    for _ in range(5):
        client.post(reverse("account_login"), {"login": email, "password": "wrong"})
    client.post("/admin/login/", {"username": email, "password": PASSWORD})
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.text
    assert SESSION_KEY not in client.session
