"""/healthz says the process is up; /readyz checks each backing service and names a failure."""

from __future__ import annotations

import pytest
from channels.layers import channel_layers
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
