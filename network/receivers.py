"""What a session remembers about its second factor, kept right as authenticators come and go."""

from __future__ import annotations

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa import signals as mfa_signals

from network.access import MFA_ENROLLED_KEY
from network.middleware import MFA_OK_KEY


def _enrolled(sender, request, authenticator, **kwargs) -> None:
    """Enrolling proves the factor (a code from the new app, a touch of the new key)."""
    if request is not None and authenticator.type != "recovery_codes":
        request.session[MFA_ENROLLED_KEY] = True


def _removed(sender, request, authenticator, **kwargs) -> None:
    """A removed factor no longer vouches for the session: it must pass MFA again."""
    if request is None:
        return
    request.session.pop(MFA_OK_KEY, None)
    request.session.pop(MFA_ENROLLED_KEY, None)
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list):
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            record for record in records if record.get("method") != "mfa"
        ]


def connect_receivers() -> None:
    mfa_signals.authenticator_added.connect(_enrolled, dispatch_uid="mfa_session_enrolled")
    mfa_signals.authenticator_removed.connect(_removed, dispatch_uid="mfa_session_removed")
