"""Search: only what the searcher may see, highlighted snippets, filters, off the record kept
off the record. Runs on whichever database the run uses (PostgreSQL in tests/services.py)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from messaging.discussions import services


def search(client, **params) -> str:
    return client.get(reverse("discussions:search"), params).text


def test_search_finds_posts_with_highlighted_snippets(world, client_for, cohort_board):
    services.start_thread(
        board=cohort_board,
        author=world.mate,
        title="Procurement",
        body="We modernised procurement <b>quickly</b> last year.",
    )
    page = search(client_for("member"), q="procurement")
    assert "1 result" in page
    assert "<mark>procurement</mark>" in page.lower() or "<mark>Procurement</mark>" in page
    assert "<b>quickly" not in page and world.mate.name in page


def test_a_snippet_is_escaped_around_its_marks(world, client_for, cohort_board):
    services.start_thread(
        board=cohort_board,
        author=world.mate,
        title="Markup",
        body="Ask AT&T whether 3 < 4 in zanzibar.",
    )
    page = search(client_for("member"), q="zanzibar")
    assert "1 result" in page
    assert "Ask AT&amp;T whether 3 &lt; 4 in <mark>zanzibar</mark>." in page


def test_search_never_shows_another_cohorts_posts(world, client_for, other_board):
    services.start_thread(board=other_board, author=world.outsider, title="Budget", body="budget")
    assert "0 results" in search(client_for("member"), q="budget")
    assert "1 result" in search(client_for("outsider"), q="budget")


def test_search_filters_by_board_and_author(world, client_for, cohort_board, lounge):
    services.start_thread(board=cohort_board, author=world.mate, title="Cyber", body="cyber")
    services.start_thread(board=lounge, author=world.manager, title="Cyber too", body="cyber")
    client = client_for("member")
    assert "2 results" in search(client, q="cyber")
    assert "1 result" in search(client, q="cyber", board=lounge.slug)
    assert "Cyber too" in search(client, q="cyber", author=world.manager.pk)
    # Each result's author links to the same search narrowed to them.
    assert f"?q=cyber&amp;author={world.manager.pk}" in search(client, q="cyber")
    assert "1 result" in search(client, q="cyber", author=world.manager.pk)


def test_off_the_record_has_no_snippet_and_no_author_outside_the_board(
    world, client_for, off_record_board
):
    services.start_thread(
        board=off_record_board, author=world.mate, title="Frank", body="candid remark zeppelin"
    )
    inside = search(client_for("member"), q="zeppelin")
    assert "1 result" in inside and "candid" not in inside and world.mate.name in inside
    assert "Off the record: open the thread to read it." in inside
    outside = search(client_for("admin"), q="zeppelin")
    assert "1 result" in outside and "candid" not in outside and world.mate.name not in outside
    by_author = search(client_for("admin"), q="zeppelin", author=world.mate.pk)
    assert "0 results" in by_author


def test_deleted_and_hidden_posts_are_not_found(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    gone = services.post_reply(thread=thread, author=world.member, body="walrus")
    hidden = services.post_reply(thread=thread, author=world.mate, body="walrus too")
    services.delete_post(post=gone)
    services.hide_post(post=hidden, hidden=True, moderator=world.manager)
    assert "0 results" in search(client_for("member"), q="walrus")


def test_results_are_newest_first_and_a_large_count_is_capped(
    world, client_for, cohort_board, monkeypatch
):
    from messaging.discussions import search as searching

    monkeypatch.setattr(searching, "COUNT_CAP", 3)
    monkeypatch.setattr(searching.CappedPaginator, "cap", 3)
    thread = services.start_thread(
        board=cohort_board, author=world.mate, title="Harbour", body="First harbour note."
    )
    for n in range(2, 6):
        services.post_reply(thread=thread, author=world.mate, body=f"Harbour note {n}.")
    services.post_reply(thread=thread, author=world.mate, body="A lighthouse, once.")
    services.post_reply(thread=thread, author=world.mate, body="Another lighthouse, later.")
    client = client_for("member")
    # Few matches (under the cap): counted exactly, newest first.
    page = search(client, q="lighthouse")
    assert "2 results" in page
    assert page.index("Another") < page.index("once")
    # Many matches: "more than" the cap, still newest first.
    page = search(client, q="harbour")
    assert "More than 3 results" in page
    assert page.index("note 5") < page.index("note 4") < page.index("note 3")


def test_an_edit_is_found_by_its_new_words_only(world, client_for, cohort_board):
    thread = services.start_thread(
        board=cohort_board, author=world.mate, title="Travel", body="Per diem rules"
    )
    reply = services.post_reply(thread=thread, author=world.mate, body="Lodging receipts")
    services.edit_post(post=reply, body="Mileage claims")
    client = client_for("member")
    assert "1 result" in search(client, q="mileage")
    assert "0 results" in search(client, q="lodging")
    # The opening post keeps its thread title searchable through an edit.
    services.edit_post(post=thread.posts.get(number=1), body="Allowances")
    assert "1 result" in search(client, q="travel allowances")


def test_another_cohorts_board_in_the_filter_is_ignored(world, client_for, other_board, lounge):
    services.start_thread(board=other_board, author=world.outsider, title="Kiln", body="kiln")
    services.start_thread(board=lounge, author=world.mate, title="Kiln too", body="kiln")
    page = search(client_for("member"), q="kiln", board=other_board.slug)
    assert "1 result" in page and "Kiln too" in page and other_board.name not in page


@pytest.mark.parametrize("matches", [1, 25])
def test_search_takes_the_same_queries_for_1_and_25_results(
    world, client_for, cohort_board, matches, django_assert_num_queries
):
    thread = services.start_thread(
        board=cohort_board, author=world.mate, title="Ferry", body="Ferry timetable."
    )
    for n in range(matches - 1):
        services.post_reply(thread=thread, author=world.manager, body=f"Ferry note {n}.")
    client = client_for("member")
    search(client, q="ferry")  # warm the session
    # Session, user (with their member: network.backends), the visible boards, count, page,
    # boards the member is in.
    with django_assert_num_queries(6):
        page = search(client, q="ferry")
    assert f"{matches} result" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="storage is PostgreSQL's")
def test_search_vectors_stay_in_the_row_on_postgresql(db):
    # A vector moved to the TOAST table costs a lookup per post a phrase search checks.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'discussions_post'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
