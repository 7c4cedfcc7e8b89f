"""The audit log: one function to write to it, and the receivers for account events."""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.http import HttpRequest

from network.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits see it (trusted proxies only)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request) or None
    except Exception:  # a malformed header must never stop the audit write
        return request.META.get("REMOTE_ADDR") or None


def _entry(action: str, actor, ip_address: str | None, target: Any, data: dict) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        actor_email=getattr(actor, "email", "") or data.pop("email", ""),
        action=action,
        target=str(target)[:200],
        ip_address=ip_address,
        data={key: str(value) for key, value in data.items()},
    )


def _actor_of(actor, request: HttpRequest | None):
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        return request.user if request.user.is_authenticated else None
    return actor


def record(
    action: str,
    *,
    actor=None,
    request: HttpRequest | None = None,
    target: Any = "",
    **data: Any,
) -> AuditEntry:
    """Append one entry; never updates or removes one."""
    actor = _actor_of(actor, request)
    entry = _entry(action, actor, client_ip(request), target, data)
    entry.save()
    return entry


def record_each(
    action: str,
    *,
    actor=None,
    request: HttpRequest | None = None,
    entries: list[tuple[Any, dict[str, Any]]],
) -> None:
    """Append one entry per (target, data) of an action done to many things at once, in one
    insert: a bulk action on 25 invitations is logged as 25 entries, as one by one."""
    actor, ip_address = _actor_of(actor, request), client_ip(request)
    rows = [_entry(action, actor, ip_address, target, dict(data)) for target, data in entries]
    AuditEntry.objects.bulk_create(rows)


def _logged_in(sender, request, user, **kwargs) -> None:
    record("login", actor=user, request=request)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = credentials.get("email") or credentials.get("username") or ""
    record("login_failed", request=request, email=email)


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record("logout", actor=user, request=request)


def _signed_up(sender, request, user, **kwargs) -> None:
    record("signup", actor=user, request=request)


def _password_changed(sender, request, user, **kwargs) -> None:
    record("password_changed", actor=user, request=request)


def _password_reset(sender, request, user, **kwargs) -> None:
    record("password_reset", actor=user, request=request)


def _email_confirmed(sender, request, email_address, **kwargs) -> None:
    record(
        "email_confirmed", actor=email_address.user, request=request, address=email_address.email
    )


def _mfa_added(sender, request, authenticator, **kwargs) -> None:
    record("mfa_added", actor=authenticator.user, request=request, kind=authenticator.type)


def _mfa_removed(sender, request, authenticator, **kwargs) -> None:
    record("mfa_removed", actor=authenticator.user, request=request, kind=authenticator.type)


def _mfa_reset(sender, request, authenticator, **kwargs) -> None:
    record("mfa_recovery_codes_reset", actor=authenticator.user, request=request)


def connect_receivers() -> None:
    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit_login")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="audit_logout")
    account_signals.user_signed_up.connect(_signed_up, dispatch_uid="audit_signup")
    account_signals.password_changed.connect(_password_changed, dispatch_uid="audit_pw_change")
    account_signals.password_set.connect(_password_changed, dispatch_uid="audit_pw_set")
    account_signals.password_reset.connect(_password_reset, dispatch_uid="audit_pw_reset")
    account_signals.email_confirmed.connect(_email_confirmed, dispatch_uid="audit_email")
    mfa_signals.authenticator_added.connect(_mfa_added, dispatch_uid="audit_mfa_added")
    mfa_signals.authenticator_removed.connect(_mfa_removed, dispatch_uid="audit_mfa_removed")
    mfa_signals.authenticator_reset.connect(_mfa_reset, dispatch_uid="audit_mfa_reset")
