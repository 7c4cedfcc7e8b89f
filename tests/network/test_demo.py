"""The demo data: real agencies, programs, cohorts, ~200 members, the three demo logins."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from network.demo import DEMO_LOGINS, DEMO_PASSWORD
from network.models import Agency, Cohort, Member, MemberType, Position, Program

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_covers_every_member_type():
    call_command("seed_demo", members=40)
    counts = (
        Agency.objects.count(),
        Program.objects.count(),
        Cohort.objects.count(),
        Member.objects.count(),
    )
    positions = Position.objects.count()
    call_command("seed_demo", members=40)
    assert Position.objects.count() == positions == 44
    assert counts == (
        Agency.objects.count(),
        Program.objects.count(),
        Cohort.objects.count(),
        Member.objects.count(),
    )
    assert counts[1:] == (3, 6, 44)
    assert set(Member.objects.values_list("member_type", flat=True)) == set(MemberType.values)
    hhs = Agency.objects.get(acronym="HHS")
    assert hhs.children.filter(acronym="CDC").exists()
    morgan = Member.objects.get(user__email=DEMO_LOGINS["member"])
    assert morgan.challenges.count() == 2 and "<strong>" in morgan.bio_html
    assert morgan.challenges.first().name.lower() in morgan.search_text.lower()
    for email in DEMO_LOGINS.values():
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None


def test_demo_peer_shares_the_demo_members_cohort_from_another_agency():
    call_command("seed_demo", members=10)
    morgan = Member.objects.get(user__email=DEMO_LOGINS["member"])
    peer = Member.objects.get(user__email=DEMO_LOGINS["peer"])
    cohorts = {m: set(m.memberships.values_list("cohort", flat=True)) for m in (morgan, peer)}
    assert cohorts[peer] == cohorts[morgan] != set()
    assert peer.agency_id != morgan.agency_id
