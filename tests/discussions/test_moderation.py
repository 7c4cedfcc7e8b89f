"""Moderation: managers on their cohort's board, administrators everywhere, all audited."""

from __future__ import annotations

from django.urls import reverse

from messaging.discussions import services
from messaging.discussions.models import Report, Thread
from network.models import AuditEntry


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))


def test_manager_pins_locks_and_moves_a_thread(world, client_for, cohort_board, lounge):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    url = reverse("discussions:thread_moderate", args=[thread.pk])
    client_for("manager").post(url, {"action": "pin"})
    client_for("manager").post(url, {"action": "lock"})
    client_for("admin").post(url, {"action": "move", "board": lounge.slug})
    thread = Thread.objects.get(pk=thread.pk)
    assert thread.pinned and thread.locked and thread.board == lounge
    assert {"discussions.thread_pin", "discussions.thread_lock", "discussions.thread_move"} <= set(
        actions()
    )


def test_manager_cannot_move_a_thread_to_a_board_they_do_not_moderate(
    world, client_for, cohort_board, lounge
):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    client_for("manager").post(
        reverse("discussions:thread_moderate", args=[thread.pk]),
        {"action": "move", "board": lounge.slug},
    )
    assert Thread.objects.get(pk=thread.pk).board == cohort_board


def test_pinned_thread_comes_first(world, client_for, cohort_board):
    old = services.start_thread(board=cohort_board, author=world.member, title="Old", body="x")
    services.start_thread(board=cohort_board, author=world.member, title="Newer", body="x")
    services.moderate_thread(thread=old, action="pin", actor=world.manager.user)
    page = client_for("member").get(reverse("discussions:board", args=[cohort_board.slug])).text
    assert page.index(">Old<") < page.index(">Newer<")


def test_hidden_post_is_hidden_from_members_not_moderators(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="rude")
    post = thread.posts.get()
    client_for("manager").post(reverse("discussions:post_hide", args=[post.pk]), {"hidden": "on"})
    url = reverse("discussions:thread", args=[thread.pk])
    assert "rude" not in client_for("member").get(url).text
    assert "rude" in client_for("manager").get(url).text
    assert "discussions.post_hidden" in actions()


def test_muted_member_cannot_post_for_a_time(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    response = client_for("manager").post(
        reverse("discussions:board_mute", args=[cohort_board.slug]),
        {"member": world.member.pk, "hours": 24, "reason": "cool off"},
    )
    assert response.status_code == 302
    client = client_for("member")
    assert (
        client.post(reverse("discussions:reply", args=[thread.pk]), {"body": "hi"}).status_code
        == 403
    )
    assert (
        "muted you on this board until"
        in client.get(reverse("discussions:thread", args=[thread.pk])).text
    )
    assert "discussions.member_muted" in actions()


def test_report_goes_to_the_queue_and_resolving_hides_the_post(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="spam")
    post = thread.posts.get()
    client_for("member").post(reverse("discussions:report", args=[post.pk]), {"reason": "Spam"})
    queue = client_for("manager").get(reverse("discussions:queue")).text
    assert "Spam" in queue
    assert "Spam" not in client_for("other_manager").get(reverse("discussions:queue")).text
    report = Report.objects.get()
    client_for("manager").post(
        reverse("discussions:report_resolve", args=[report.pk]), {"action": "hide"}
    )
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.hidden_at and report.resolution == "hide"
    assert "No open reports." in client_for("manager").get(reverse("discussions:queue")).text
    assert {"discussions.post_reported", "discussions.report_resolved"} <= set(actions())
