"""The cohorts list and a cohort's manage page cost the same queries for one row or many."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CohortFactory, InvitationFactory, MemberFactory, MembershipFactory


def test_the_cohorts_list_takes_the_same_queries_for_2_and_30_cohorts(
    world, client_for, django_assert_num_queries
):
    client, url = client_for("admin"), reverse("network:cohorts")
    client.get(url)  # warms the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(28):
        MembershipFactory(cohort=CohortFactory(name=f"Circle {number:02}"), member=MemberFactory())
    with django_assert_num_queries(len(few)):
        page = client.get(url).text
    assert "Circle 27" in page


def test_the_manage_page_takes_the_same_queries_for_1_and_30_people_and_invitations(
    world, client_for, django_assert_num_queries
):
    client = client_for("manager")
    url = reverse("network:cohort_manage", args=[world.cohort.slug])
    InvitationFactory(cohort=world.cohort, invited_by=world.manager)
    client.get(url)  # warms the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(30):
        MembershipFactory(cohort=world.cohort, member=MemberFactory())
        InvitationFactory(cohort=world.cohort, invited_by=world.manager)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["memberships"]) > 3
    assert len(response.context["invitations"]) > 1
