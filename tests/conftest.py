"""The small world most tests share, built once per test from factories.

Roles, as the permission matrix names them: anonymous, member, mate (same cohort), outsider
(another cohort), manager (of the member's cohort), other_manager (of the other cohort), admin.
Managers and administrators have a TOTP authenticator, as the MFA rule requires.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core import mail
from django.core.cache import cache

from config.celery import app as celery_app
from network.models import Cohort, Member, Role
from tests.factories import CohortFactory, MemberFactory, MembershipFactory, UserFactory
from tests.mail_checks import check_message

ROLES = ["anonymous", "member", "mate", "outsider", "manager", "other_manager", "admin"]


@pytest.fixture(autouse=True)
def _eager_celery():
    """Settings overrides do not reach an already-configured Celery app; set it directly."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _every_email_reads_right():
    """Every message a test sends is serialised and read back as a mail client would."""
    yield
    for message in mail.outbox:
        check_message(message)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is a real Redis shared by the whole run: rate-limit counters must not leak."""
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The production hasher costs ~0.5 s a password here; tests make hundreds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    cohort: Cohort
    other_cohort: Cohort
    member: Member
    mate: Member
    outsider: Member
    manager: Member
    other_manager: Member
    admin: Member

    def user_for(self, role: str):
        return None if role == "anonymous" else getattr(self, role).user


def with_mfa(member: Member) -> Member:
    TOTP.activate(member.user, generate_totp_secret())
    return member


def sign_in(client, user) -> None:
    """Sign in as allauth does: someone with a second factor has used it in this session.

    Tests of the MFA rule itself build their sessions with plain `force_login`.
    """
    client.force_login(user)
    if Authenticator.objects.filter(user=user).exists():
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "mfa", "at": time.time(), "type": "totp"}
        ]
        session.save()


@pytest.fixture
def world(db) -> World:
    cohort = CohortFactory(name="Class of 2026", slug="class-2026")
    other = CohortFactory(name="Alumni Circle", slug="alumni-circle")
    member, mate, outsider = (MemberFactory(name=n) for n in ("Ada Member", "Bo Mate", "Cy Out"))
    MembershipFactory(cohort=cohort, member=member)
    MembershipFactory(cohort=cohort, member=mate)
    MembershipFactory(cohort=other, member=outsider)
    manager = with_mfa(MemberFactory(name="Dee Manager"))
    MembershipFactory(cohort=cohort, member=manager, role=Role.MANAGER)
    other_manager = with_mfa(MemberFactory(name="Eve Othermanager"))
    MembershipFactory(cohort=other, member=other_manager, role=Role.MANAGER)
    admin = with_mfa(
        MemberFactory(name="Flo Admin", user=UserFactory(is_staff=True, is_superuser=True))
    )
    return World(cohort, other, member, mate, outsider, manager, other_manager, admin)


@pytest.fixture
def client_for(client, world):
    """A test client signed in as the given role (anonymous: signed out)."""

    def signed_in_as(role: str):
        user = world.user_for(role)
        client.logout()
        if user is not None:
            sign_in(client, user)
        return client

    return signed_in_as
