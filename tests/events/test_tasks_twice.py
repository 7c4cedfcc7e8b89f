"""Every mail task may run twice (Celery acknowledges late and re-delivers a task whose worker
died): the second run sends nothing."""

from __future__ import annotations

from django.core import mail
from django.utils import timezone

from events import services, tasks
from events.models import RSVP
from network import tasks as network_tasks
from network.models import Invitation
from network.services import resend_invitation
from tests.events.builders import make_event, make_poll


def test_each_event_mail_task_sends_once_however_often_it_runs(world):
    event = make_event(world.cohort, creator=world.manager)
    services.rsvp(event=event, member=world.member, going=True)
    services.rsvp(event=event, member=world.mate, going=True)
    rsvp = RSVP.objects.get(event=event, member=world.member)
    mail.outbox.clear()
    for _ in range(2):
        tasks.send_rsvp_confirmation(rsvp.pk)
    assert len(mail.outbox) == 1
    event.sequence += 1
    event.save(update_fields=["sequence"])
    for _ in range(2):
        tasks.send_event_changed(event.pk)
    assert len(mail.outbox) == 3  # one each for the two people going
    event.sequence += 1
    event.save(update_fields=["sequence"])
    tasks.send_event_changed(event.pk)  # a second change is news again
    assert len(mail.outbox) == 5
    for _ in range(2):
        tasks.send_event_cancelled(event.pk)
    assert len(mail.outbox) == 7


def test_poll_mail_tasks_send_once_however_often_they_run(world):
    poll = make_poll(world.cohort, creator=world.manager)
    slot = poll.slots.first()
    services.answer_poll(poll=poll, member=world.member, answers={slot.pk: "yes"})
    mail.outbox.clear()
    for _ in range(2):
        tasks.send_poll_opened(poll.pk)
    opened = len(mail.outbox)
    assert opened == 2  # member and mate; not the manager who made it
    services.close_poll(poll=poll, slot=slot, closer=world.manager)
    for _ in range(2):
        tasks.send_poll_closed(poll.pk)
    assert len(mail.outbox) == opened + 1


def test_an_invitation_task_run_twice_sends_once_but_send_again_sends_again(
    world, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        cohort=world.cohort,
        email="new@example.gov",
        invited_by=world.manager,
    )
    asked = timezone.now().isoformat()
    mail.outbox.clear()
    assert network_tasks.send_invitation(invitation.pk, asked) is True
    assert network_tasks.send_invitation(invitation.pk, asked) is False
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(invitation=invitation, actor=world.manager.user)
    assert len(mail.outbox) == 2


def test_an_invitation_whose_mail_task_was_lost_is_sent_by_the_sweep_once(world):
    lost = Invitation.objects.create(cohort=world.cohort, email="lost@example.gov")
    sent = Invitation.objects.create(cohort=world.cohort, email="sent@example.gov")
    network_tasks.send_invitation(sent.pk, timezone.now().isoformat())
    mail.outbox.clear()
    assert network_tasks.send_unsent_invitations(older_than_seconds=0) == 1
    assert network_tasks.send_unsent_invitations(older_than_seconds=0) == 0
    assert [m.to for m in mail.outbox] == [[lost.email]]
