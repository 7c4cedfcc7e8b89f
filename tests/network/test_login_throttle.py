"""Sign-in throttles (AC-7): tight per account, generous per address, never a permanent lock."""

from __future__ import annotations

import time
import types

import pytest
from allauth.core.internal import ratelimit
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db
AGENCY_NAT = "198.51.100.7"


@pytest.fixture
def clock(monkeypatch):
    """allauth's rate limits read time.time(); this moves it forward without sleeping."""
    offset = {"seconds": 0.0}
    fake = types.SimpleNamespace(
        time=lambda: time.time() + offset["seconds"], monotonic=time.monotonic, sleep=time.sleep
    )
    monkeypatch.setattr(ratelimit, "time", fake)

    def advance(seconds: float) -> None:
        offset["seconds"] += seconds

    return advance


def attempt(client: Client, email: str, password: str) -> bool:
    client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=AGENCY_NAT
    )
    signed_in = SESSION_KEY in client.session
    client.logout()
    return signed_in


def test_one_agency_behind_one_address_is_not_throttled_by_each_others_typos(db):
    client = Client()
    colleagues = [MemberFactory().user.email for _ in range(15)]
    for email in colleagues:
        assert not attempt(client, email, "typo")
    assert all(attempt(client, email, PASSWORD) for email in colleagues)


def test_five_failures_hold_the_account_for_five_minutes_then_it_opens(db, clock):
    client, email = Client(), MemberFactory().user.email
    for _ in range(5):
        attempt(client, email, "guess")
    assert not attempt(client, email, PASSWORD)
    clock(5 * 60 + 1)
    assert attempt(client, email, PASSWORD)


def test_a_slow_guesser_gets_at_most_twenty_tries_an_hour(db, clock):
    client, email = Client(), MemberFactory().user.email
    for _ in range(4):
        for _ in range(5):
            attempt(client, email, "guess")
        clock(5 * 60 + 1)
    assert not attempt(client, email, PASSWORD)  # 20 failures within the hour
    clock(60 * 60)
    assert attempt(client, email, PASSWORD)  # the hour has passed: never locked for good
