"""The header's chat badge: "Chat 3 unread", from the cache, costing a page no query."""

from __future__ import annotations

import re

from django.urls import reverse

from messaging.services.chat import (
    delete_message,
    ensure_cohort_rooms,
    mark_read,
    send_message,
    start_direct,
)


def badge(page: str) -> str:
    return re.search(r'<span class="usa-tag chat-badge".*?</span></span>', page).group(0)


def unread_from_view(client) -> int:
    return client.get(reverse("messaging:unread")).json()["unread"]


def test_the_header_shows_the_total_the_view_counted(world, client_for):
    room = start_direct(member=world.mate, other=world.member)
    for n in range(3):
        send_message(member=world.mate, room=room, body="x", client_id=f"b{n}")
    client = client_for("member")
    # Nothing remembered yet: the badge waits, hidden, for chat-badge.js to ask.
    first = badge(client.get(reverse("network:cohorts")).content.decode())
    assert " hidden" in first and "data-known" not in first
    assert unread_from_view(client) == 3
    shown = badge(client.get(reverse("network:cohorts")).content.decode())
    assert 'data-known="3"' in shown and " hidden" not in shown
    assert re.sub(r"<[^>]+>", "", shown) == "3 unread"  # the link reads "Chat 3 unread"


def test_a_new_message_a_deletion_and_reading_change_the_total(
    world, client_for, django_capture_on_commit_callbacks
):
    ensure_cohort_rooms(member=world.member)
    ensure_cohort_rooms(member=world.mate)
    room = world.cohort.chat_room
    client = client_for("member")
    assert unread_from_view(client) == 0
    with django_capture_on_commit_callbacks(execute=True):
        send_message(member=world.mate, room=room, body="one", client_id="1")
        sent = send_message(member=world.mate, room=room, body="two", client_id="2")
    assert unread_from_view(client) == 2
    with django_capture_on_commit_callbacks(execute=True):
        delete_message(member=world.mate, room=room, message_id=sent.message.pk)
    assert unread_from_view(client) == 1
    mark_read(member=world.member, room=room, seq=3)
    assert unread_from_view(client) == 0


def test_the_total_is_remembered_so_a_second_ask_costs_no_count(
    world, client_for, django_assert_num_queries
):
    client = client_for("member")
    unread_from_view(client)
    with django_assert_num_queries(QUERIES):
        assert unread_from_view(client) == 0


QUERIES = 2  # session, user (with their member): no count


def test_signed_out_visitors_get_no_badge(db, client):
    page = client.get(reverse("account_login")).content.decode()
    assert "chat-badge" not in page
