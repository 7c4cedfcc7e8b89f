"""A direct message rings the other person's bell, once per conversation until they read it."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from messaging.discussions.models import Notification
from messaging.discussions.notifications import unread_count
from messaging.services.chat import ensure_cohort_rooms, mark_read, send_message, start_direct


def test_a_burst_of_direct_messages_rings_the_bell_once_without_quoting_them(
    world, django_capture_on_commit_callbacks
):
    room = start_direct(member=world.member, other=world.mate)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            send_message(member=world.member, room=room, body=f"secret {n}", client_id=f"d{n}")
    (note,) = Notification.objects.filter(recipient=world.mate)
    assert note.kind == "direct_message" and note.summary == "Ada Member sent you a direct message"
    assert note.url == reverse("messaging:room", args=[room.pk])
    assert unread_count(world.mate) == 1
    assert not Notification.objects.filter(recipient=world.member).exists()
    assert all("secret" not in m.body and "secret" not in m.subject for m in mail.outbox)


def test_reading_the_conversation_reads_the_notification_and_the_next_message_rings_again(
    world, django_capture_on_commit_callbacks
):
    room = start_direct(member=world.member, other=world.mate)
    with django_capture_on_commit_callbacks(execute=True):
        send_message(member=world.member, room=room, body="hello", client_id="a")
    assert unread_count(world.mate) == 1
    mark_read(member=world.mate, room=room, seq=1)
    assert unread_count(world.mate) == 0
    with django_capture_on_commit_callbacks(execute=True):
        send_message(member=world.member, room=room, body="again", client_id="b")
    assert Notification.objects.filter(recipient=world.mate).count() == 2
    assert unread_count(world.mate) == 1


def test_cohort_room_messages_ring_no_bell(world):
    ensure_cohort_rooms(member=world.mate)
    room = world.cohort.chat_room
    send_message(member=world.member, room=room, body="hi all", client_id="c")
    assert not Notification.objects.exists()
