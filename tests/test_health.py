"""/healthz says the process is up; /readyz checks each backing service and names a failure."""

from __future__ import annotations

import logging

import pytest
from channels.layers import channel_layers
from django.db import connection
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_ready_when_database_cache_and_channel_layer_answer(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "channel_layer": "ok"}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [DEAD_REDIS]},
        }
    }
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def test_readyz_names_redis_parts_when_redis_is_down(client, redis_down):
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("error")
    assert checks["channel_layer"].startswith("error")


def test_pages_that_need_no_redis_still_render_when_it_is_down(client, redis_down, world):
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 200
    client.force_login(world.member.user)
    assert client.get(reverse("network:cohort", args=[world.cohort.slug])).status_code == 200
    directory = client.get(reverse("network:directory"), {"q": world.mate.name})
    assert world.mate.name in [m.name for m in directory.context["result"].page.object_list]


def test_each_place_that_did_without_redis_logs_one_line_not_a_traceback(
    client, redis_down, world, caplog
):
    client.force_login(world.member.user)
    with caplog.at_level(logging.WARNING):
        for url in (reverse("network:home"), reverse("network:directory")):
            assert client.get(url).status_code == 200
    warned = [r for r in caplog.records if r.name.startswith(("network.", "messaging."))]
    assert {r.name for r in warned} >= {"network.directory.counts", "messaging.unread"}
    console = logging.getHandlerByName("console")  # as settings.LOGGING makes it
    for record in warned:
        assert console.filter(record)
        written = console.format(record)
        assert "\n" not in written and "Traceback" not in written, written
        assert "cache unreachable (ConnectionError" in written, written


@pytest.fixture
def database_down(world):
    """PostgreSQL stops answering after the member has signed in (the server is gone from the
    port, as while it restarts)."""
    client = Client(raise_request_exception=False)
    client.force_login(world.member.user)
    real = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"
    yield client
    connection.close()
    connection.settings_dict["PORT"] = real


@pytest.mark.django_db(transaction=True)
def test_a_page_says_back_in_a_moment_without_a_traceback_while_the_database_is_down(
    database_down,
):
    response = database_down.get(reverse("network:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Convene is back in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page


@pytest.mark.django_db(transaction=True)
def test_each_page_refused_while_the_database_is_down_logs_one_line_not_a_traceback(
    database_down, caplog
):
    for _ in range(3):
        database_down.get(reverse("network:home"))
    refused = [r for r in caplog.records if r.name == "django.request"]
    assert len(refused) == 3
    for record in refused:
        assert record.exc_info is None
        assert "database unreachable (OperationalError" in record.getMessage()
        assert "\n" not in record.getMessage()


@pytest.mark.django_db(transaction=True)
def test_readyz_names_the_database_while_it_is_down(database_down):
    database_down.cookies.clear()  # a load balancer's probe carries no session
    response = database_down.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error: OperationalError")


def test_other_errors_get_the_plain_500_page(client, monkeypatch, world):
    client.raise_request_exception = False
    client.force_login(world.member.user)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("network.views.home.render", broken)
    response = client.get(reverse("network:home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
