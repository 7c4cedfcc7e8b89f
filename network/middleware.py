"""Session limits and the MFA requirement for managers and administrators."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from network import access

LOGIN_AT_KEY = "convene_login_at"
MFA_OK_KEY = "convene_mfa_ok"


class AbsoluteSessionLimitMiddleware:
    """Ends a session a fixed time after sign-in, however active it has been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(LOGIN_AT_KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(
                    request, "For your security you have been signed out. Please sign in again."
                )
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class RequireMFAMiddleware:
    """Sends managers and administrators without a second factor to set one up."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_enrol(request):
            messages.warning(
                request,
                "Network managers and administrators must set up two-factor authentication "
                "before continuing.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_enrol(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(self.ALLOWED_PREFIXES):
            return False
        if request.session.get(MFA_OK_KEY):
            return False
        from allauth.mfa.models import Authenticator

        enrolled = (
            Authenticator.objects.filter(user=user)
            .exclude(type=Authenticator.Type.RECOVERY_CODES)
            .exists()
        )
        if enrolled or not access.requires_mfa(user):
            request.session[MFA_OK_KEY] = True
            return False
        return True
