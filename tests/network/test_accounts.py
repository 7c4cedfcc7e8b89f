"""Login by e-mail, rate limits, MFA for managers, session limits and the audit trail."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY as TOTP_SECRET_KEY
from django.test import override_settings
from django.urls import reverse

from network.middleware import LOGIN_AT_KEY, SEEN_AT_KEY
from network.models import AuditEntry
from tests.factories import PASSWORD, MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_member_signs_in_with_email_and_the_login_is_audited(client, world):
    email = world.member.user.email
    response = client.post(
        reverse("account_login"), {"login": email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="login")
    assert (entry.actor_email, entry.ip_address) == (email, "203.0.113.9")


def test_login_page_shows_the_system_use_notice(client):
    response = client.get(reverse("account_login"))
    assert "System use notice" in response.text
    assert "monitored" in response.text


def test_wrong_passwords_are_rate_limited_even_with_forged_forwarded_for(client, world):
    email = world.member.user.email
    statuses = []
    for attempt in range(8):
        response = client.post(
            reverse("account_login"),
            {"login": email, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}",
        )
        statuses.append(response.status_code)
    assert statuses[0] == 200
    assert statuses[-1] == 429 or "Too many failed login attempts" in response.text
    assert AuditEntry.objects.filter(action="login_failed").count() >= 5
    # The right password is refused too while the limit holds: the key is the account.
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code != 302


def test_manager_without_mfa_is_sent_to_set_it_up(client):
    manager = MemberFactory()
    MembershipFactory(member=manager, role="manager")
    client.force_login(manager.user)
    response = client.get(reverse("network:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_background_fetch_does_not_replace_the_totp_secret_being_scanned(client):
    manager = MemberFactory()
    MembershipFactory(member=manager, role="manager")
    client.force_login(manager.user)
    session = client.session
    session[TOTP_SECRET_KEY] = "SECRETBEINGSCANNED"
    session.save()
    # The header bell polls with fetch(): it is refused, not sent to the activation page.
    response = client.get(reverse("discussions:bell"), headers={"Sec-Fetch-Mode": "cors"})
    assert response.status_code == 403
    response = client.get(reverse("network:home"), headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert client.session[TOTP_SECRET_KEY] == "SECRETBEINGSCANNED"


def test_plain_member_without_mfa_is_let_in(client, world):
    client.force_login(world.member.user)
    assert client.get(reverse("network:home")).status_code == 200


def test_administrator_without_mfa_is_sent_to_set_it_up(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root@example.gov", PASSWORD)
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(MFA_EXEMPT_EMAILS={"manager@demo.convene.test"})
def test_demo_manager_is_exempt_only_where_settings_exempt_it(client):
    manager = MemberFactory(user__email="manager@demo.convene.test")
    MembershipFactory(member=manager, role="manager")
    client.force_login(manager.user)
    assert client.get(reverse("network:home")).status_code == 200


def test_session_ends_after_the_absolute_limit(client, world, settings):
    client.force_login(world.member.user)
    assert client.get(reverse("network:home")).status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("network:home"))
    assert response.status_code == 302
    assert client.get(reverse("network:home"))["Location"].startswith(reverse("account_login"))


def test_session_ends_after_thirty_idle_minutes_but_not_before(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(world.member.user)
    client.get(reverse("network:home"))
    session = client.session
    session[SEEN_AT_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("network:home")).status_code == 200
    session = client.session
    assert session[SEEN_AT_KEY] >= int(time.time()) - 5  # activity renewed the idle clock
    session[SEEN_AT_KEY] = int(time.time()) - 31 * 60
    session.save()
    assert client.get(reverse("network:home"))["Location"].startswith(reverse("account_login"))


def test_audit_log_cannot_be_changed_or_deleted(world):
    entry = AuditEntry.objects.create(action="test")
    entry.action = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="x")
