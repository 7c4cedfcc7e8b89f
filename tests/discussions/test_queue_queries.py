"""The moderation queue costs the same queries for one open report or thirty."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.discussions import services


def _report(board, author, reporter, number: int) -> None:
    thread = services.start_thread(board=board, author=author, title=f"T{number}", body="b")
    services.report_post(post=thread.posts.get(), reporter=reporter, reason=f"Reason {number}")


def test_the_queue_takes_the_same_queries_for_1_and_30_reports(
    world, client_for, cohort_board, django_assert_num_queries
):
    client, url = client_for("manager"), reverse("discussions:queue")
    _report(cohort_board, world.mate, world.member, 0)
    client.get(url)  # warms the session and the bell's cache
    with CaptureQueriesContext(connection) as one:
        assert "Reason 0" in client.get(url).text
    for number in range(1, 30):
        _report(cohort_board, world.mate, world.member, number)
    with django_assert_num_queries(len(one)):
        page = client.get(url).text
    assert "Reason 29" in page
