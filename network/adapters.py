"""allauth hooks: sign-up is open only to someone holding a valid invitation."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest
from django.urls import reverse

from network import services
from network.mail import render_html
from network.models import Invitation

INVITATION_SESSION_KEY = "convene_invitation_id"


def pending_invitation(request: HttpRequest):
    return services.usable_invitation(request.session.get(INVITATION_SESSION_KEY))


def invited_address(request: HttpRequest) -> str | None:
    """The address of the invitation this visitor followed, used or not."""
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if invitation_id is None:
        return None
    return Invitation.objects.filter(pk=invitation_id).values_list("email", flat=True).first()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return pending_invitation(request) is not None

    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        """The invitation link was mailed to its address: following it proves that address
        (and only that one; any other address is confirmed by e-mail as usual)."""
        invited = invited_address(request)
        if invited is not None and email.lower() == invited.lower():
            return True
        return super().is_email_verified(request, email)

    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        """Signing up with the invited address joins at once (the link proved the address);
        another address joins only after confirming it, signing in and accepting explicitly."""
        user = super().save_user(request, user, form, commit=commit)
        invitation = pending_invitation(request)
        if commit and invitation is not None and user.email.lower() == invitation.email.lower():
            services.accept_invitation(
                invitation=invitation,
                user=user,
                request=request,
                name=form.cleaned_data.get("name", ""),
            )
        return user

    def post_login(self, request: HttpRequest, user, **kwargs):
        """The invited person joins on signing in; anyone else holding the link is asked to
        accept it explicitly."""
        invitation = pending_invitation(request)
        request.session.pop(INVITATION_SESSION_KEY, None)
        if invitation is not None:
            if services.holds_invited_address(user, invitation):
                services.accept_invitation(invitation=invitation, user=user, request=request)
            else:
                kwargs["redirect_url"] = reverse(
                    "network:invitation", args=[invitation.signed_token]
                )
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
