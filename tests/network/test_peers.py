"""Peer suggestions on the home page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from network.models import Visibility
from tests.factories import AgencyFactory
from tests.network.test_directory import tagged

pytestmark = pytest.mark.django_db


def test_peers_at_other_agencies_ranked_by_shared_challenges_with_the_reason(
    world, client_for, django_assert_max_num_queries
):
    home = AgencyFactory(acronym="VA", name="Department of Veterans Affairs")
    other = AgencyFactory(acronym="DOL", name="Department of Labor")
    me = tagged("Me Myself", agency=home, challenges=["Workforce retention", "Hiring"])
    world.member.delete()
    me_user = me.user
    tagged("Same Agency", agency=home, challenges=["Workforce retention"])
    tagged("Best Peer", agency=other, challenges=["Workforce retention", "Hiring"])
    tagged("Some Peer", agency=other, challenges=["Hiring"])
    tagged("Hidden Peer", agency=other, challenges=["Hiring"], visibility=Visibility.HIDDEN)
    tagged("No Overlap", agency=other, challenges=["Space"])
    from django.test import Client

    client = Client()
    client.force_login(me_user)
    client.get(reverse("network:home"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("network:home"))
    peers = [s.member.name for s in response.context["suggestions"]]
    assert peers == ["Best Peer", "Some Peer"]
    assert "also working on: Hiring, Workforce retention" in response.text


def test_a_peer_who_hides_their_profile_leaves_the_suggestions_at_once(world, client_for):
    from network import services

    other = AgencyFactory(acronym="DOL", name="Department of Labor")
    tagged("Ada Again", challenges=["Hiring"])  # not the world's member: a fresh profile
    me = world.member
    services.update_profile(member=me, fields={}, expertise=[], challenges=["Hiring"])
    peer = tagged("Pat Peer", agency=other, challenges=["Hiring"])
    client = client_for("member")
    names = [s.member.name for s in client.get(reverse("network:home")).context["suggestions"]]
    assert "Pat Peer" in names  # ranked, and the ranking is now cached
    services.update_profile(
        member=peer, fields={"visibility": Visibility.HIDDEN}, expertise=[], challenges=["Hiring"]
    )
    names = [s.member.name for s in client.get(reverse("network:home")).context["suggestions"]]
    assert "Pat Peer" not in names and "Ada Again" in names
