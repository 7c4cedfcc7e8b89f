"""Boards: who sees which, records mode on the board and in the composer, unread counts."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.discussions import services
from messaging.discussions.models import Board, RecordsMode
from network.services.cohorts import create_cohort
from tests.factories import ProgramFactory, join_cohort
from tests.messaging.conftest import row_counts, signed_in_clients


def test_listing_boards_creates_nothing(world):
    """A cohort's board comes with the cohort (network.signals), never with a look."""
    clients = signed_in_clients(world, "member", "mate", "outsider")
    before = row_counts()
    for client in clients:
        assert client.get(reverse("discussions:boards")).status_code == 200
    assert row_counts() == before
    assert not Board.objects.filter(cohort=world.cohort).exists()  # a factory-made cohort


def test_a_cohort_made_by_the_service_is_listed_with_its_board_at_once(world, client_for):
    cohort = create_cohort(program=ProgramFactory(), name="Deputies", created_by=world.admin)
    join_cohort(cohort, world.member)
    page = client_for("member").get(reverse("discussions:boards")).text
    assert Board.objects.get(cohort=cohort).name == "Deputies" and "Deputies" in page


def test_member_sees_network_boards_and_own_cohort_board_only(
    world, client_for, lounge, cohort_board, other_board
):
    page = client_for("member").get(reverse("discussions:boards")).text
    assert "Lounge" in page and cohort_board.name in page
    assert other_board.name not in page


def test_records_mode_is_shown_on_board_and_composer(world, client_for, off_record_board):
    client = client_for("member")
    board_page = client.get(reverse("discussions:board", args=[off_record_board.slug])).text
    composer = client.get(reverse("discussions:new_thread", args=[off_record_board.slug])).text
    for page in (board_page, composer):
        assert "Records mode: Off the record." in page


def test_board_lists_threads_with_replies_participants_and_new_marker(
    world, client_for, cohort_board
):
    thread = services.start_thread(
        board=cohort_board, author=world.mate, title="Hiring freeze", body="Ideas?"
    )
    services.post_reply(thread=thread, author=world.manager, body="One idea")
    page = client_for("member").get(reverse("discussions:board", args=[cohort_board.slug])).text
    assert "Hiring freeze" in page
    assert '<td data-label="Replies">1</td>' in page
    assert '<td data-label="Participants">2</td>' in page
    assert ">New</span>" in page


def test_board_shows_how_many_new_posts_since_last_visit(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="b")
    services.mark_read(member=world.member, thread=thread, number=1)
    services.post_reply(thread=thread, author=world.mate, body="second")
    services.post_reply(thread=thread, author=world.mate, body="third")
    client = client_for("member")
    assert "2 new" in client.get(reverse("discussions:board", args=[cohort_board.slug])).text
    boards = client.get(reverse("discussions:boards")).text
    assert '<td data-label="Unread posts"><strong>2</strong></td>' in boards


def test_board_list_sums_unread_posts_over_read_and_unopened_threads(
    world, client_for, cohort_board, lounge
):
    """Each board's figures are its own: threads, and posts the member has not read (a thread
    never opened counts whole, a read one only past the member's place)."""
    read = services.start_thread(board=cohort_board, author=world.mate, title="Read", body="1")
    for n in range(3):
        services.post_reply(thread=read, author=world.mate, body=f"reply {n}")
    services.mark_read(member=world.member, thread=read, number=2)
    unopened = services.start_thread(board=cohort_board, author=world.mate, title="New", body="1")
    services.post_reply(thread=unopened, author=world.mate, body="2")
    services.start_thread(board=lounge, author=world.mate, title="Elsewhere", body="1")
    rows = client_for("member").get(reverse("discussions:boards")).text.split("<tr>")
    cohort_row = next(row for row in rows if cohort_board.name in row)
    lounge_row = next(row for row in rows if "Lounge" in row)
    assert '<td data-label="Threads">2</td>' in cohort_row
    assert '<td data-label="Unread posts"><strong>4</strong></td>' in cohort_row  # 2 + 2
    assert '<td data-label="Threads">1</td>' in lounge_row
    assert '<td data-label="Unread posts"><strong>1</strong></td>' in lounge_row


def test_board_page_paginates_threads(world, client_for, cohort_board):
    for n in range(30):
        services.start_thread(board=cohort_board, author=world.mate, title=f"Topic {n}", body="b")
    url = reverse("discussions:board", args=[cohort_board.slug])
    first = client_for("member").get(url).text
    assert "Topic 29" in first and "Topic 0<" not in first and "Page 1 of 2" in first
    assert "Topic 0<" in client_for("member").get(url + "?page=2").text


def _threads(board, author, n):
    for i in range(n):
        thread = services.start_thread(board=board, author=author, title=f"T{i}", body="b")
        services.post_reply(thread=thread, author=author, body="r")


def test_board_and_board_list_pages_take_the_same_queries_for_1_and_50_threads(
    world, client_for, cohort_board, django_assert_num_queries
):
    client = client_for("member")
    board_url = reverse("discussions:board", args=[cohort_board.slug])
    list_url = reverse("discussions:boards")
    _threads(cohort_board, world.mate, 1)
    client.get(board_url), client.get(list_url)  # warm the session and the bell's cache
    counts = []
    for url in (board_url, list_url):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts.append(len(captured))
    _threads(cohort_board, world.mate, 49)
    for url, expected in zip((board_url, list_url), counts, strict=True):
        with django_assert_num_queries(expected):
            client.get(url)


def test_new_board_gets_a_unique_slug(world):
    first = services.create_board(name="Workforce", records_mode=RecordsMode.ON_THE_RECORD)
    second = services.create_board(name="Workforce")
    assert first.slug != second.slug
