"""Search: only what the searcher may see, highlighted snippets, filters, off the record kept
off the record. Runs on whichever database the run uses (PostgreSQL in tests/services.py)."""

from __future__ import annotations

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
