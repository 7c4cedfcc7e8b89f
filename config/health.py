"""Liveness and readiness probes for the load balancer and the orchestrator."""

from __future__ import annotations

import sys
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache

# What Django raises when PostgreSQL is unreachable, restarting or out of pooled connections.
DATABASE_DOWN = (OperationalError, InterfaceError)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 5)
    if cache.get(key) != "1":
        raise RuntimeError("value written was not read back")
    cache.delete(key)


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("readyz.")
    await layer.send(channel, {"type": "readyz.ping"})
    message = await layer.receive(channel)
    if message.get("type") != "readyz.ping":
        raise RuntimeError("unexpected message")


def _channel_layer() -> None:
    async_to_sync(_round_trip)()


CHECKS = {"database": _database, "cache": _cache, "channel_layer": _channel_layer}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Database, cache and channel layer reachable; 503 naming whichever is not."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure means "not ready", with the reason
            results[name] = f"error: {error.__class__.__name__}: {error}"[:300]
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: a database that cannot be reached is a short outage, said as a 503
    page that retries by itself (and tells a load balancer when to ask again); anything else is
    the plain 500 page. Neither shows a traceback; the error is logged as usual."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
