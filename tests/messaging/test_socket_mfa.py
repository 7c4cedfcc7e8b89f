"""Managers and administrators open the chat socket only from a session that passed MFA, as
pages require (network.access.mfa_satisfied)."""

from __future__ import annotations

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.db import SessionStore

from tests.messaging.conftest import open_socket, session_cookie

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def record_sign_in(cookie: str, user, *methods: str) -> None:
    """What allauth stores in the session as each step of a sign-in succeeds."""
    session = SessionStore(session_key=cookie)
    session["account_authentication_methods_user"] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": m, "at": 0} for m in methods]
    session.save()


@pytest.mark.parametrize("role", ["manager", "admin"])
async def test_a_session_with_only_a_password_is_refused_until_it_passes_mfa(chat, world, role):
    user = world.user_for(role)
    cookie = await sync_to_async(session_cookie)(user)
    await sync_to_async(record_sign_in)(cookie, user, "password")
    connected, _ = await open_socket(cookie)
    assert not connected

    await sync_to_async(record_sign_in)(cookie, user, "password", "mfa")
    connected, socket = await open_socket(cookie)
    assert connected
    assert (await socket.recv())["type"] == "hello"
    await socket.close()


async def test_mfa_records_of_another_account_do_not_count(chat, world):
    cookie = await sync_to_async(session_cookie)(world.manager.user)
    await sync_to_async(record_sign_in)(cookie, world.member.user, "password", "mfa")
    connected, _ = await open_socket(cookie)
    assert not connected


async def test_a_member_needs_no_second_factor(chat, world):
    cookie = await sync_to_async(session_cookie)(world.member.user)
    await sync_to_async(record_sign_in)(cookie, world.member.user, "password")
    connected, socket = await open_socket(cookie)
    assert connected
    await socket.close()
