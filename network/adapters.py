"""allauth hooks: sign-up is open only to someone holding a valid invitation."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest

from network import services
from network.mail import render_html

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

    def render_mail(self, template_prefix: str, email, context: dict, headers=None) -> EmailMessage:
        """allauth's account mail (confirm an address, reset a password) as text and HTML on
        the shared e-mail layout, like every other Convene message."""
        msg = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(msg, EmailMultiAlternatives) and not msg.alternatives:
            layout = {"subject": msg.subject, "paragraphs": msg.body.split("\n\n")}
            msg.attach_alternative(render_html("account", layout | _site()), "text/html")
        return msg


def _site() -> dict:
    return {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL.rstrip("/")}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return pending_invitation(request) is not None
