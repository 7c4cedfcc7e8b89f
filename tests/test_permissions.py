"""Every route of the project, for every role, answers with the status the matrix expects."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from tests.matrix import LOGIN, all_routes

LIBRARY_MODULES = ("allauth.", "django.contrib.")


def is_library(resolver: URLResolver) -> bool:
    module = getattr(resolver.urlconf_module, "__name__", "")
    return resolver.namespace == "admin" or module.startswith(LIBRARY_MODULES)


def project_route_names() -> set[str]:
    """Named URL patterns whose views are Convene's own (libraries test theirs)."""
    names: set[str] = set()

    def walk(patterns, namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if is_library(pattern):
                    continue
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")

    walk(get_resolver().url_patterns)
    return names


def test_every_project_route_has_a_row_in_the_matrix():
    covered = {route.name for route in all_routes()}
    missing = sorted(project_route_names() - covered)
    assert not missing, f"Add these routes to tests/matrix/: {missing}"


def test_every_row_names_every_role():
    for route in all_routes():
        assert set(route.expect) == set(ROLES), route.id


def observed_status(client, url: str, method: str) -> int | str:
    response = getattr(client, method)(url)
    login = reverse("account_login")
    if response.status_code == 302 and response["Location"].startswith(login):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("route", all_routes(), ids=lambda r: r.id)
def test_route_answers_each_role_as_the_matrix_says(route, world, client_for):
    """One world per route, every role in turn: the whole row is compared at once."""
    url = reverse(route.name, kwargs=route.kwargs(world))
    observed = {role: observed_status(client_for(role), url, route.method) for role in ROLES}
    assert observed == route.expect, url
