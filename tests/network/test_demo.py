"""The demo data: real agencies, programs, cohorts, ~200 members, the three demo logins."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from messaging.announcements.models import Announcement
from messaging.demo import THREAD_TITLE
from messaging.discussions.models import Notification, Post, Reaction, Thread
from messaging.models import Message, Room, RoomKind
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


def test_demo_has_recent_activity_between_the_demo_members_and_seeding_again_adds_none():
    call_command("seed_demo", members=10)
    counts = (Thread.objects.count(), Post.objects.count(), Message.objects.count())
    call_command("seed_demo", members=10)
    assert (Thread.objects.count(), Post.objects.count(), Message.objects.count()) == counts
    morgan = Member.objects.get(user__email=DEMO_LOGINS["member"])
    thread = Thread.objects.get(title=THREAD_TITLE)
    assert thread.posts.count() == 3 and Reaction.objects.filter(post__thread=thread).count() == 3
    assert Notification.objects.filter(recipient=morgan).exists()  # mentioned
    direct = Room.objects.get(kind=RoomKind.DIRECT)
    assert direct.messages.count() == 2 and Room.objects.filter(kind=RoomKind.COHORT).exists()
    assert Announcement.objects.filter(sent_at__isnull=False).count() == 1
