"""allauth hooks: sign-up is open only to someone holding a valid invitation."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from network import services

INVITATION_SESSION_KEY = "convene_invitation_id"


def pending_invitation(request: HttpRequest):
    return services.usable_invitation(request.session.get(INVITATION_SESSION_KEY))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return pending_invitation(request) is not None

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        invitation = pending_invitation(request)
        if commit and invitation is not None:
            services.accept_invitation(
                invitation=invitation,
                user=user,
                request=request,
                name=form.cleaned_data.get("name", ""),
            )
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user

    def post_login(self, request: HttpRequest, user, **kwargs):
        """Someone who followed an invitation link and then signed in joins the cohort."""
        invitation = pending_invitation(request)
        if invitation is not None:
            services.accept_invitation(invitation=invitation, user=user, request=request)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return super().post_login(request, user, **kwargs)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return pending_invitation(request) is not None
