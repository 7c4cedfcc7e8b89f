"""What a signed-in person is shown is never kept by a browser's or a proxy's cache."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "route", "kwargs"),
    [
        ("member", "network:own_data", lambda w: {}),
        ("member", "network:member", lambda w: {"pk": w.mate.pk}),
        ("member", "network:home", lambda w: {}),
        ("member", "network:directory", lambda w: {}),
        ("manager", "network:roster_export", lambda w: {"slug": w.cohort.slug}),
        ("manager", "network:cohort_manage", lambda w: {"slug": w.cohort.slug}),
    ],
)
def test_personal_pages_and_files_are_private_and_not_stored(
    world, client_for, role, route, kwargs
):
    response = client_for(role).get(reverse(route, kwargs=kwargs(world)))
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
