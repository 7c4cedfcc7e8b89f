"""What every response and every state change carries whatever the input: CSRF on each POST
route, the browser protections on pages, and production settings that pass Django's deploy
checks. docs/security.md points here for ASVS V3 (web frontend) and V4 (sessions, CSRF)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.form_cases import CASES
from tests.security.hostile import build_scene
from tests.test_settings import COMPLETE, ROOT


@pytest.fixture
def scene(world):
    return build_scene(world)


# One-click unsubscribe (RFC 8058) is posted by mail providers without a session or a CSRF
# token; its signed token is the authority, and it can only turn e-mail off.
CSRF_EXEMPT = {"discussions:unsubscribe"}


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.route not in CSRF_EXEMPT], ids=lambda case: case.id
)
def test_every_post_route_refuses_a_request_without_the_csrf_token(case, world, scene, client_for):
    client = client_for(case.role)  # signed in as the role really is (MFA passed where due)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse(case.route, kwargs=case.kwargs(world, scene)), {"x": "1"})
    assert response.status_code == 403


def test_pages_forbid_framing_sniffing_and_scripts_from_elsewhere(client_for):
    response = client_for("member").get(reverse("network:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in policy


def test_session_cookie_is_http_only_and_same_site(world, client):
    response = client.post(
        reverse("account_login"), {"login": world.member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_settings_pass_the_deploy_checks():
    """HTTPS redirect, HSTS, secure cookies and a strong key, as `check --deploy` sees them."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**COMPLETE, "SECRET_KEY": "k3-" + "Zx9!q" * 12, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_signing_in_gives_a_new_session_key(world, client):
    """A session planted before sign-in (session fixation) is not the one that signs in."""
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    response = client.post(
        reverse("account_login"), {"login": world.member.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value not in ("", before)
