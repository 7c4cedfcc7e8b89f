"""The people in a thread as a reader sees them: each author with an avatar, a name that leads
to their profile, their headline and agency; mentions as links to profiles the reader may
open; one actions menu per post; the records banner once; a list that holds only posts."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.urls import reverse

from messaging.discussions import services
from network.avatars import avatar_for
from network.models import Visibility
from tests.discussions.conftest import mention


def _post_html(page: str, number: int) -> str:
    start = page.index(f'<li class="convene-post" id="post-{number}">')
    return page[start : page.index("</article>", start)]


def _hide_profile(member) -> None:
    member.visibility = Visibility.HIDDEN
    member.save(update_fields=["visibility"])


def test_a_post_shows_its_authors_avatar_name_headline_and_agency(world, client_for, cohort_board):
    world.mate.headline = "Deputy CIO"
    world.mate.save(update_fields=["headline"])
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    post = _post_html(
        client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text, 1
    )
    profile = reverse("network:member", args=[world.mate.pk])
    hue = f"convene-avatar--hue-{world.mate.pk % 8}"
    assert f'class="convene-avatar convene-avatar--md {hue}" aria-hidden="true">BM</span>' in post
    assert f'<a class="usa-link" href="{profile}"><bdi>Bo Mate</bdi></a>' in post
    assert f"<bdi>Deputy CIO</bdi> · {world.mate.agency.acronym} · " in post


def test_an_author_with_a_picture_shows_it_with_an_empty_alt_beside_the_name(
    world, client_for, cohort_board
):
    world.mate.avatar = "avatars/bo.png"
    world.mate.save(update_fields=["avatar"])
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    post = _post_html(
        client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text, 1
    )
    picture = reverse("network:avatar", args=[world.mate.pk])
    assert f'<img class="convene-avatar convene-avatar--md" src="{picture}" alt=""' in post
    assert "<bdi>Bo Mate</bdi>" in post


def test_an_author_the_reader_may_not_see_has_initials_and_no_profile_link(
    world, client_for, cohort_board
):
    world.mate.avatar = "avatars/bo.png"
    world.mate.save(update_fields=["avatar"])
    _hide_profile(world.mate)
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    url = reverse("discussions:thread", args=[thread.pk])
    post = _post_html(client_for("member").get(url).text, 1)
    assert "<img" not in post and ">BM</span>" in post
    assert reverse("network:member", args=[world.mate.pk]) not in post
    # The cohort's manager may open the hidden profile, so sees the picture and the link.
    post = _post_html(client_for("manager").get(url).text, 1)
    assert reverse("network:avatar", args=[world.mate.pk]) in post
    assert reverse("network:member", args=[world.mate.pk]) in post


def test_a_mention_links_to_the_profile_only_for_readers_who_may_see_it(
    world, client_for, cohort_board
):
    body = f"Thanks {mention(world.mate)} and {mention(world.manager)}"
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body=body)
    _hide_profile(world.mate)
    url = reverse("discussions:thread", args=[thread.pk])
    mate, manager = (reverse("network:member", args=[m.pk]) for m in (world.mate, world.manager))

    post = _post_html(client_for("member").get(url).text, 1)
    assert f'<a href="{manager}" rel="nofollow noopener noreferrer">@Dee Manager</a>' in post
    assert "<strong>@Bo Mate</strong>" in post and mate not in post

    post = _post_html(client_for("manager").get(url).text, 1)
    assert f'<a href="{mate}" rel="nofollow noopener noreferrer">@Bo Mate</a>' in post


def test_post_actions_are_one_menu_that_opens_without_script(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    services.post_reply(thread=thread, author=world.member, body="mine")
    page = client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text
    theirs, mine = _post_html(page, 1), _post_html(page, 2)
    for post in (theirs, mine):
        assert post.count("<details") == 1 and 'Actions<span class="usa-sr-only"> on post' in post
    menu = theirs[theirs.index("<details") : theirs.index("</details>")]
    assert ">Quote</a>" in menu and ">Report</a>" in menu and ">Edit<" not in menu
    menu = mine[mine.index("<details") : mine.index("</details>")]
    assert ">Quote</a>" in menu and ">Edit</a>" in menu and ">Delete</button>" in menu
    assert ">Report<" not in menu


def test_reactions_are_one_row_of_toggles_that_name_who_reacted(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    services.toggle_reaction(post=thread.posts.get(), member=world.manager, kind="agree")
    post = _post_html(
        client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text, 1
    )
    assert post.count('class="convene-reactions__list"') == 1
    assert post.count('<button type="submit" name="kind"') == 4
    # Shown on hover and focus; the button's own text says the same to a screen reader.
    assert (
        '<span class="convene-reaction__who" aria-hidden="true">Agree: Dee Manager</span>' in post
    )
    assert '1<span class="usa-sr-only"> by Dee Manager</span></button>' in post


def test_the_records_banner_appears_once(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    page = client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text
    assert page.count("Records mode:") == 1


def test_the_list_of_posts_holds_only_posts(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    page = client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text
    posts = page[
        page.index('<ol class="convene-posts"') : page.index(
            "</ol>", page.index('<ol class="convene-posts"')
        )
    ]
    assert re.search(r"<li[^>]*>\s*</li>", posts) is None
    assert posts.count('<li class="convene-post"') == 1 and "convene-poller" not in posts
    assert 'id="thread-poller"' in page  # still asks for new posts, from outside the list


def test_the_polling_answer_appends_posts_and_replaces_the_poller(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    services.post_reply(thread=thread, author=world.mate, body="fresh")
    url = reverse("discussions:thread_updates", args=[thread.pk]) + "?after=1"
    fragment = client_for("member").get(url).text
    assert fragment.index('id="post-2"') < fragment.index('id="thread-poller"')
    assert 'hx-swap-oob="true"' in fragment and "?after=2" in fragment


@pytest.mark.parametrize("picture", ["avatars/bo.png", ""])
def test_a_posts_avatar_is_the_avatar_macros_markup(world, client_for, cohort_board, picture):
    """The thread's posts write the avatar inline (a macro per post was slow): the same markup
    as network/_avatar.jinja, which the directory's cards use."""
    world.mate.avatar = picture
    world.mate.save(update_fields=["avatar"])
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    post = _post_html(
        client_for("member").get(reverse("discussions:thread", args=[thread.pk])).text, 1
    )
    macro = engines["jinja2"].env.get_template("network/_avatar.jinja").module.avatar
    assert str(macro(avatar_for(world.mate))) in post
