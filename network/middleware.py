"""Session limits and the MFA requirement for managers and administrators."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from network import access

LOGIN_AT_KEY = "convene_login_at"
SEEN_AT_KEY = "convene_seen_at"
MFA_OK_KEY = "convene_mfa_ok"
# Saving the session on every request lets concurrent requests (a page and its background
# fetches) overwrite each other's session writes, which lost TOTP enrolment secrets. So the
# idle clock is renewed at most once a minute instead.
SEEN_RESOLUTION_SECONDS = 60


class SessionLimitMiddleware:
    """Ends a session after SESSION_COOKIE_AGE idle or SESSION_ABSOLUTE_SECONDS after sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_AT_KEY, now)
            seen = request.session.get(SEEN_AT_KEY, now)
            if now - seen >= SEEN_RESOLUTION_SECONDS or SEEN_AT_KEY not in request.session:
                request.session[SEEN_AT_KEY] = now  # saving also renews the expiry date
            if (
                now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(
                    request, "For your security you have been signed out. Please sign in again."
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequireMFAMiddleware:
    """Managers and administrators act only from a session that itself passed MFA.

    Having an authenticator is not enough (a session signed in by password alone, or a member
    promoted to manager mid-session, has not proved it): those without one are sent to set one
    up, those with one to prove it through allauth's re-authentication.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = self._missing_step(request)
        if step is None:
            return self.get_response(request)
        if not _is_navigation(request):
            # A page's background fetch (the notification bell, htmx) must not follow a
            # redirect to the activation page: each GET of it makes a new TOTP secret and
            # would invalidate the one the member is scanning.
            return HttpResponseForbidden(
                "Confirm your two-factor authentication first.", content_type="text/plain"
            )
        if step == "enrol":
            messages.warning(
                request,
                "Network managers and administrators must set up two-factor authentication "
                "before continuing.",
            )
            return redirect(reverse("mfa_activate_totp"))
        messages.warning(
            request, "Network managers and administrators confirm their second factor first."
        )
        query = urlencode({"next": request.get_full_path()}, safe="/")
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")

    def _missing_step(self, request: HttpRequest) -> str | None:
        """None when the request may go on; else "enrol" or "prove"."""
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return None
        if request.session.get(MFA_OK_KEY):
            return None
        if access.session_passed_mfa(request.session, user):
            request.session[MFA_OK_KEY] = True
            return None
        # Asked on every request of a session that has not passed MFA, so that a member
        # promoted to manager is stopped at their next click, not at their next sign-in.
        if not access.requires_mfa(user):
            return None
        from allauth.mfa.models import Authenticator

        enrolled = (
            Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists()
        )
        return "prove" if enrolled else "enrol"


class PrivateResponsesMiddleware:
    """What a signed-in person is shown is theirs: no browser or proxy keeps a copy.

    Profiles, rosters, exports and conversations are personal data on shared government
    laptops; a response that chose its own caching (an avatar, a calendar feed) keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _is_navigation(request: HttpRequest) -> bool:
    """True for a page load; false for fetch()/htmx requests made by a page's script."""
    if request.headers.get("HX-Request"):
        return False
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
