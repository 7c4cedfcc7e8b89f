"""A hand-counted cohort for the console: who did what, and what the console must say.

Current members of "Class of 2026": Ada (DOE), Bo (DOT), Dee the manager (DOE), Gus (NASA) and
Hal (NASA). Lee (HHS) took part and then left the cohort.

- Informal thread: Ada opens it, Bo replies, Lee replies  -> 3 posts; ties Ada-Bo, Ada-Lee.
- Off-the-record thread: Dee opens it, Gus replies       -> 2 posts, off the record; no tie,
                                                            no active day for Dee or Gus.
- Cohort chat room: Ada 2 messages, Bo 1                  -> 3 messages.
- Direct messages: Dee to Bo                              -> tie Dee-Bo (not a cohort message).
- Informal event yesterday: Ada, Bo, Dee going; Ada and Bo attended; Hal said nothing.
- Off-the-record event yesterday: Gus and Bo going and attended -> no tie Gus-Bo.
- Hal signed in 40 days ago and has done nothing since.

So: 5 members; 5 posts (2 off the record) and 3 messages this week; active this week 4 (Ada,
Bo, Dee, and Gus by his RSVP three days ago); cross-agency ties 2 (Ada-Bo DOE-DOT, Dee-Bo
DOE-DOT; Ada-Lee no longer counts); without a tie: Gus and Hal; quiet for 30 days: Hal; past
events: 5 going, 4 attended. Invitations: 1 accepted, 2 pending, 1 expired, 1 revoked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as events
from events import summaries as event_summaries
from events.models import RSVP
from messaging import summaries as messaging_summaries
from messaging.discussions import services as discussions
from messaging.discussions.models import Board, RecordsMode
from messaging.models import Room, RoomKind
from messaging.services import chat
from network import summaries
from network.models import AuditEntry, CohortMembership, Invitation, Member
from tests.events.builders import make_event
from tests.factories import AgencyFactory, MemberFactory, MembershipFactory


@dataclass
class Story:
    ada: Member
    bo: Member
    dee: Member
    gus: Member
    hal: Member
    lee: Member


def summarise_everything() -> None:
    summaries.summarise_sign_ins()
    messaging_summaries.summarise()
    event_summaries.summarise()
    summaries.refresh_snapshots()


@pytest.fixture
def story(world) -> Story:
    doe, dot = AgencyFactory(acronym="DOE"), AgencyFactory(acronym="DOT")
    nasa, hhs = AgencyFactory(acronym="NASA"), AgencyFactory(acronym="HHS")
    Member.objects.filter(pk=world.member.pk).update(agency=doe)
    Member.objects.filter(pk=world.mate.pk).update(agency=dot)
    Member.objects.filter(pk=world.manager.pk).update(agency=doe)
    gus, hal, lee = (
        MemberFactory(name="Gus Quiet", agency=nasa),
        MemberFactory(name="Hal Silent", agency=nasa),
        MemberFactory(name="Lee Left", agency=hhs),
    )
    for person in (gus, hal, lee):
        MembershipFactory(cohort=world.cohort, member=person)
    ada, bo, dee = world.member, world.mate, world.manager

    discussions.ensure_cohort_boards([world.cohort])
    board = Board.objects.get(cohort=world.cohort)
    thread = discussions.start_thread(board=board, author=ada, title="Permits", body="Hi")
    discussions.post_reply(thread=thread, author=bo, body="Agreed")
    discussions.post_reply(thread=thread, author=lee, body="Me too")
    secret = discussions.start_thread(board=board, author=dee, title="Secret title", body="Shh")
    secret.records_mode = RecordsMode.OFF_THE_RECORD
    secret.save(update_fields=["records_mode"])
    discussions.post_reply(thread=secret, author=gus, body="Quiet words")

    room = Room.objects.create(kind=RoomKind.COHORT, cohort=world.cohort, name="Class")
    for n, person in enumerate((ada, ada, bo)):
        chat.send_message(member=person, room=room, body="hello", client_id=f"c{n}")
    direct = chat.start_direct(member=dee, other=bo)
    chat.send_message(member=dee, room=direct, body="coffee?", client_id="d1")

    yesterday = timezone.now() - timedelta(days=1)
    open_event = make_event(world.cohort, creator=dee, start=yesterday, title="Open roundtable")
    closed = make_event(
        world.cohort, creator=dee, start=yesterday, title="Closed dinner",
        records_mode=RecordsMode.OFF_THE_RECORD,
    )  # fmt: skip
    for event, people in ((open_event, (ada, bo, dee)), (closed, (gus, bo))):
        for person in people:
            RSVP.objects.create(event=event, member=person, status="going")
    events.mark_attendance(event=open_event, attended_member_ids={ada.pk, bo.pk}, marker=dee)
    events.mark_attendance(event=closed, attended_member_ids={gus.pk, bo.pk}, marker=dee)
    RSVP.objects.filter(member=gus).update(responded_at=timezone.now() - timedelta(days=3))

    AuditEntry.objects.create(
        action="login", actor=hal.user, at=timezone.now() - timedelta(days=40)
    )
    now = timezone.now()
    Invitation.objects.create(cohort=world.cohort, email="a@x.gov", accepted_at=now)
    Invitation.objects.create(cohort=world.cohort, email="p1@x.gov")
    Invitation.objects.create(cohort=world.cohort, email="p2@x.gov")
    Invitation.objects.create(
        cohort=world.cohort, email="e@x.gov", expires_at=now - timedelta(days=1)
    )
    Invitation.objects.create(cohort=world.cohort, email="r@x.gov", revoked_at=now)

    CohortMembership.objects.filter(cohort=world.cohort, member=lee).delete()
    summarise_everything()
    return Story(ada, bo, dee, gus, hal, lee)
