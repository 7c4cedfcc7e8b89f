"""A thread keeps the strictest records mode it has had, unless a moderator changes it openly."""

from __future__ import annotations

import pytest
from django.urls import reverse

from messaging.discussions import services
from messaging.discussions.models import Thread
from network.models import AuditEntry, RecordsMode

pytestmark = pytest.mark.django_db


def search(client, **params) -> str:
    return client.get(reverse("discussions:search"), params).text


def moved_off_record_thread(world, client_for, off_record_board, lounge) -> Thread:
    thread = services.start_thread(
        board=off_record_board, author=world.mate, title="Frank", body="sottovoce remark zeppelin"
    )
    client_for("admin").post(
        reverse("discussions:thread_moderate", args=[thread.pk]),
        {"action": "move", "board": lounge.slug},
    )
    return Thread.objects.select_related("board").get(pk=thread.pk)


def test_thread_moved_to_an_informal_board_stays_off_the_record(
    world, client_for, off_record_board, lounge
):
    thread = moved_off_record_thread(world, client_for, off_record_board, lounge)
    assert thread.board == lounge
    assert thread.effective_records_mode == RecordsMode.OFF_THE_RECORD
    # Everyone may now find the thread, but search never quotes what was said in it.
    outside = search(client_for("outsider"), q="zeppelin")
    assert "1 result" in outside
    assert "sottovoce" not in outside
    assert "Off the record: open the thread to read it." in outside
    move = AuditEntry.objects.get(action="discussions.thread_move")
    assert move.data["records_mode"] == RecordsMode.OFF_THE_RECORD


def test_thread_moved_to_a_stricter_board_takes_the_boards_mode(
    world, client_for, cohort_board, off_record_board
):
    lounge_thread = services.start_thread(
        board=services.create_board(name="Lounge"), author=world.member, title="T", body="x"
    )
    client_for("admin").post(
        reverse("discussions:thread_moderate", args=[lounge_thread.pk]),
        {"action": "move", "board": off_record_board.slug},
    )
    lounge_thread.refresh_from_db()
    assert lounge_thread.records_mode == ""  # the board's own mode, off the record
    assert lounge_thread.effective_records_mode == RecordsMode.OFF_THE_RECORD


def test_relaxing_the_records_mode_needs_an_explicit_confirmation(
    world, client_for, off_record_board, lounge
):
    thread = moved_off_record_thread(world, client_for, off_record_board, lounge)
    url = reverse("discussions:thread_moderate", args=[thread.pk])
    response = client_for("admin").post(
        url, {"action": "records", "records_mode": RecordsMode.INFORMAL}, follow=True
    )
    assert "Nothing was changed" in response.text
    thread.refresh_from_db()
    assert thread.effective_records_mode == RecordsMode.OFF_THE_RECORD

    client_for("admin").post(
        url,
        {"action": "records", "records_mode": RecordsMode.INFORMAL, "confirm_records": "on"},
    )
    thread.refresh_from_db()
    assert thread.effective_records_mode == RecordsMode.INFORMAL
    change = AuditEntry.objects.get(action="discussions.thread_records_mode")
    assert (change.data["old"], change.data["new"]) == (
        RecordsMode.OFF_THE_RECORD,
        RecordsMode.INFORMAL,
    )
    assert change.actor == world.admin.user
