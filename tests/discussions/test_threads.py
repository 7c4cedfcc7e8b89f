"""Threads and posts as members use them: posting, quoting, editing, deleting, reacting,
reading from the first unread post, and the query budget of the thread page."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from messaging.discussions import services
from messaging.discussions.models import Post, PostRevision, ThreadRead
from messaging.discussions.queries import POSTS_PER_PAGE


def test_member_starts_a_thread_and_reads_it(world, client_for, cohort_board):
    client = client_for("member")
    response = client.post(
        reverse("discussions:new_thread", args=[cohort_board.slug]),
        {"title": "Onboarding", "body": "How do you **onboard**?"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    assert "Onboarding" in page and "<strong>onboard</strong>" in page


def test_markdown_is_stored_sanitised_and_links_get_nofollow(world, cohort_board):
    thread = services.start_thread(
        board=cohort_board,
        author=world.member,
        title="Links",
        body="<script>alert(1)</script> [site](https://example.gov) [x](javascript:alert(1))",
    )
    html = thread.posts.get().body_html
    assert "<script" not in html and 'href="javascript' not in html
    assert 'rel="nofollow noopener' in html


def test_reply_appears_and_quote_prefills_the_composer(world, client_for, cohort_board):
    thread = services.start_thread(
        board=cohort_board, author=world.mate, title="T", body="Original words"
    )
    first = thread.posts.get()
    client = client_for("member")
    page = client.get(reverse("discussions:thread", args=[thread.pk]) + f"?quote={first.pk}").text
    assert "&gt; Original words" in page
    client.post(
        reverse("discussions:reply", args=[thread.pk]),
        {"body": "> Original words\n\nAgreed", "quote_of": first.pk},
    )
    reply = Post.objects.get(thread=thread, number=2)
    assert reply.quote_of == first and "<blockquote>" in reply.body_html
    assert "in reply to" in client.get(reverse("discussions:thread", args=[thread.pk])).text


def test_edit_is_marked_and_earlier_version_is_for_moderators(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="v1")
    post = thread.posts.get()
    client = client_for("member")
    client.post(reverse("discussions:post_edit", args=[post.pk]), {"body": "v2"})
    post.refresh_from_db()
    assert post.edited_at and "v2" in post.body_html
    assert PostRevision.objects.get(post=post).body == "v1"
    assert "edited" in client.get(reverse("discussions:thread", args=[thread.pk])).text
    history = reverse("discussions:post_history", args=[post.pk])
    assert client.get(history).status_code == 403
    assert "v1" in client_for("manager").get(history).text


def test_author_delete_leaves_a_tombstone(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="first")
    reply = services.post_reply(thread=thread, author=world.member, body="secret words")
    client = client_for("member")
    client.post(reverse("discussions:post_delete", args=[reply.pk]))
    page = client.get(reverse("discussions:thread", args=[thread.pk])).text
    assert "secret words" not in page
    assert "This post was deleted by its author." in page
    assert "first" in page


def test_only_the_author_may_edit(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    post = thread.posts.get()
    response = client_for("member").post(
        reverse("discussions:post_edit", args=[post.pk]), {"body": "hacked"}
    )
    assert response.status_code == 403


def test_reactions_toggle_and_show_who_reacted(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    post = thread.posts.get()
    client = client_for("member")
    url = reverse("discussions:react", args=[post.pk])
    client.post(url, {"kind": "thanks"})
    page = client.get(reverse("discussions:thread", args=[thread.pk])).text
    button = re.search(r'<button[^>]*value="thanks"[^>]*>(.*?)</button>', page)
    assert button is not None and 'aria-pressed="true"' in button.group(0)
    # What a screen reader announces: the reaction, its count and who reacted.
    assert strip_tags(button.group(1)) == f"🙏Thanks 1 by {world.member.name}"
    client.post(url, {"kind": "thanks"})
    assert post.reactions.count() == 0
    client.post(url, {"kind": "not-a-reaction"})
    assert post.reactions.count() == 0


def test_thread_opens_at_first_unread_and_marks_read(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="p1")
    for n in range(2, POSTS_PER_PAGE + 6):
        services.post_reply(thread=thread, author=world.mate, body=f"post {n}")
    services.mark_read(member=world.member, thread=thread, number=POSTS_PER_PAGE + 2)
    page = client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text
    assert f'id="post-{POSTS_PER_PAGE + 3}"' in page and 'id="first-unread"' in page
    assert 'id="post-1"' not in page  # page 2, where the first unread post is
    read = ThreadRead.objects.get(member=world.member, thread=thread)
    assert read.last_read == thread.posts.count()
    # Going back to page 1 does not move the place back.
    client_for("member").get(reverse("discussions:thread", args=[thread.pk]) + "?page=1")
    read.refresh_from_db()
    assert read.last_read == thread.posts.count()


def test_locked_thread_refuses_replies_but_not_from_moderators(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    services.moderate_thread(thread=thread, action="lock", actor=world.manager.user)
    url = reverse("discussions:reply", args=[thread.pk])
    assert client_for("member").post(url, {"body": "hi"}).status_code == 403
    assert client_for("manager").post(url, {"body": "closing note"}).status_code == 302


def test_new_replies_arrive_in_the_polling_fragment(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    url = reverse("discussions:thread_updates", args=[thread.pk]) + "?after=1"
    client = client_for("member")
    assert "convene-post" not in client.get(url).text
    services.post_reply(thread=thread, author=world.mate, body="fresh reply")
    fragment = client.get(url).text
    assert "fresh reply" in fragment and "?after=2" in fragment


def _posts(thread, author, n):
    for i in range(n):
        services.post_reply(thread=thread, author=author, body=f"reply {i}")
        post = Post.objects.get(thread=thread, number=i + 2)
        services.toggle_reaction(post=post, member=author, kind="agree")


def test_thread_page_takes_the_same_queries_for_1_and_50_posts(
    world, client_for, cohort_board, django_assert_num_queries
):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    url = reverse("discussions:thread", args=[thread.pk]) + "?page=1"
    client = client_for("member")
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    _posts(thread, world.mate, POSTS_PER_PAGE - 1)  # a full page of 50 posts
    with django_assert_num_queries(len(captured)):
        page = client.get(url).text
    assert page.count('class="convene-post"') == POSTS_PER_PAGE


def _post_html(page: str, number: int) -> str:
    start = page.index(f'<li class="convene-post" id="post-{number}">')
    return page[start : page.index("</li>", page.index("</article>", start)) + 5]


def test_each_viewer_gets_the_controls_that_are_theirs(world, client_for, cohort_board):
    """Author: edit and delete, no report; another member: report; the cohort's manager
    (who moderates its board): hide, and earlier versions of an edited post."""
    world.mate.name = "Bo <Mate>"
    world.mate.save()
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="one")
    services.edit_post(post=thread.posts.get(), body="one, edited")
    url = reverse("discussions:thread", args=[thread.pk])
    first = thread.posts.get()

    author = _post_html(client_for("mate").get(url).text, 1)
    assert ">Edit</a>" in author and ">Delete</button>" in author and ">Report<" not in author
    assert "Bo &lt;Mate&gt;" in author and "<Mate>" not in author
    assert (
        '<span class="convene-edited">edited</span>' in author and "earlier versions" not in author
    )

    member = _post_html(client_for("member").get(url).text, 1)
    assert ">Report</a>" in member and ">Quote</a>" in member and ">Edit<" not in member
    assert "Hide post" not in member

    manager = _post_html(client_for("manager").get(url).text, 1)
    assert "earlier versions" in manager and ">Hide post</button>" in manager
    assert reverse("discussions:post_history", args=[first.pk]) in manager

    services.hide_post(post=first, hidden=True, moderator=world.manager)
    member = _post_html(client_for("member").get(url).text, 1)
    assert "This post was hidden by a moderator." in member and "one, edited" not in member
    manager = _post_html(client_for("manager").get(url).text, 1)
    assert "Hidden from members by a moderator." in manager and "one, edited" in manager
    assert ">Show to members again</button>" in manager


def test_a_locked_thread_offers_no_quote_or_edit(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.moderate_thread(thread=thread, action="lock", actor=world.manager.user)
    post = _post_html(
        client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text, 1
    )
    assert ">Quote<" not in post and ">Edit<" not in post
    assert (
        "Locked" in client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text
    )
