"""An OpenID Connect provider (Login.gov style) switched on by settings shows on login."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN_GOV = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "logingov",
                "name": "Login.gov",
                "client_id": "urn:gov:gsa:openidconnect.profiles:sp:sso:agency:convene",
                "secret": "",
                "settings": {"server_url": "https://idp.int.identitysandbox.gov"},
            }
        ]
    }
}


def test_login_page_offers_the_configured_provider(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = LOGIN_GOV
    response = client.get(reverse("account_login"))
    assert "Login.gov" in response.text
    assert "/accounts/oidc/logingov/login/" in response.text


def test_no_provider_is_offered_unless_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "Login.gov" not in client.get(reverse("account_login")).text


def test_new_account_through_the_provider_still_needs_an_invitation(rf):
    from django.contrib.sessions.backends.db import SessionStore

    from network.adapters import SocialAccountAdapter

    request = rf.get("/")
    request.session = SessionStore()
    assert SocialAccountAdapter().is_open_for_signup(request, sociallogin=None) is False
