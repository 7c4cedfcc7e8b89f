"""Mentions, following and the bell."""

from __future__ import annotations

import json

from django.urls import reverse

from messaging.discussions import services
from messaging.discussions.models import Level, Notification, NotificationKind, Subscription
from tests.discussions.conftest import mention


def kinds_for(member) -> list[str]:
    return list(Notification.objects.filter(recipient=member).values_list("kind", flat=True))


def test_mention_notifies_and_follows(world, cohort_board):
    thread = services.start_thread(
        board=cohort_board, author=world.member, title="T", body=f"Hi {mention(world.mate)}"
    )
    assert kinds_for(world.mate) == [NotificationKind.MENTION]
    assert Subscription.objects.get(member=world.mate, thread=thread).level == Level.FOLLOW
    profile = reverse("network:member", args=[world.mate.pk])
    assert f'<strong><a href="{profile}"' in thread.posts.get().body_html
    assert ">@Bo Mate</a></strong>" in thread.posts.get().body_html


def test_mention_of_someone_who_cannot_see_the_thread_notifies_nobody(world, cohort_board):
    thread = services.start_thread(
        board=cohort_board, author=world.member, title="T", body=f"cc {mention(world.outsider)}"
    )
    assert Notification.objects.count() == 0
    assert not Subscription.objects.filter(member=world.outsider).exists()
    assert "<strong>" not in thread.posts.get().body_html


def test_autocomplete_offers_only_members_who_can_see_the_board(world, client_for, cohort_board):
    url = reverse("discussions:board_members", args=[cohort_board.slug])
    names = [m["name"] for m in client_for("member").get(url).json()["members"]]
    assert world.mate.name in names and world.manager.name in names
    assert world.outsider.name not in names and world.other_manager.name not in names
    found = client_for("member").get(url + "?q=bo").json()["members"]
    assert found == [{"id": world.mate.pk, "name": world.mate.name}]


def test_reply_notifies_thread_author_and_followers_but_never_the_poster(world, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.post_reply(thread=thread, author=world.mate, body="first reply")
    services.post_reply(thread=thread, author=world.manager, body="second reply")
    assert sorted(kinds_for(world.member)) == [NotificationKind.REPLY_TO_MY_THREAD] * 2
    assert kinds_for(world.mate) == [NotificationKind.REPLY_FOLLOWED]  # posting followed
    assert kinds_for(world.manager) == []


def test_muted_thread_is_silent(world, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.set_subscription(member=world.member, thread=thread, level=Level.MUTE)
    services.post_reply(thread=thread, author=world.mate, body=f"{mention(world.member)} hey")
    assert kinds_for(world.member) == []


def test_board_followers_hear_of_new_threads(world, cohort_board):
    services.set_subscription(member=world.mate, board=cohort_board, level=Level.FOLLOW)
    services.start_thread(board=cohort_board, author=world.member, title="Fresh", body="x")
    note = Notification.objects.get(recipient=world.mate)
    assert note.summary == "New thread “Fresh”"


def test_follow_and_mute_buttons(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.mate, title="T", body="x")
    client = client_for("member")
    client.post(reverse("discussions:thread_follow", args=[thread.pk]), {"level": "follow"})
    assert (
        "You follow this thread."
        in client.get(reverse("discussions:thread", args=[thread.pk])).text
    )
    client.post(reverse("discussions:thread_follow", args=[thread.pk]), {"level": "mute"})
    assert Subscription.objects.get(member=world.member, thread=thread).level == Level.MUTE
    client.post(reverse("discussions:board_follow", args=[cohort_board.slug]), {"level": "follow"})
    assert Subscription.objects.get(member=world.member, board=cohort_board).level == Level.FOLLOW


def test_bell_counts_unread_and_list_groups_by_thread(world, client_for, cohort_board):
    first = services.start_thread(board=cohort_board, author=world.member, title="One", body="x")
    second = services.start_thread(board=cohort_board, author=world.member, title="Two", body="x")
    services.post_reply(thread=first, author=world.mate, body="a")
    services.post_reply(thread=second, author=world.mate, body="b")
    services.post_reply(thread=first, author=world.manager, body="c")
    client = client_for("member")
    assert json.loads(client.get(reverse("discussions:bell")).content) == {"unread": 3}
    page = client.get(reverse("discussions:notifications")).text
    assert page.count('<h2 id="group-') == 2
    assert "3 unread" in page
    # The header shows the cached count on every page, without a query of its own.
    assert "data-bell-number>3<" in client.get(reverse("discussions:boards")).text


def test_mark_one_and_all_read(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.post_reply(thread=thread, author=world.mate, body="a")
    services.post_reply(thread=thread, author=world.manager, body="b")
    client = client_for("member")
    note = Notification.objects.filter(recipient=world.member).first()
    client.post(reverse("discussions:notification_read", args=[note.pk]))
    assert client.get(reverse("discussions:bell")).json() == {"unread": 1}
    client.post(reverse("discussions:notifications_read_all"))
    assert client.get(reverse("discussions:bell")).json() == {"unread": 0}


def test_opening_the_thread_reads_its_notifications(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.post_reply(thread=thread, author=world.mate, body="a")
    client = client_for("member")
    client.get(reverse("discussions:thread", args=[thread.pk]))
    assert client.get(reverse("discussions:bell")).json() == {"unread": 0}


def test_someone_elses_notification_is_404(world, client_for, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.post_reply(thread=thread, author=world.mate, body="a")
    note = Notification.objects.get(recipient=world.member)
    response = client_for("mate").post(reverse("discussions:notification_read", args=[note.pk]))
    assert response.status_code == 404


def test_header_bell_costs_no_query(world, rf, django_assert_num_queries):
    from messaging.discussions.context_processors import bell
    from messaging.discussions.notifications import unread_count

    request = rf.get("/")
    request.user = world.member.user
    with django_assert_num_queries(0):
        assert bell(request) == {"discussions_bell_count": None}
    unread_count(world.member)
    with django_assert_num_queries(0):
        assert bell(request) == {"discussions_bell_count": 0}


def test_editing_in_a_mention_notifies_nobody(world, cohort_board):
    thread = services.start_thread(board=cohort_board, author=world.member, title="T", body="x")
    services.edit_post(post=thread.posts.get(), body=f"now {mention(world.mate)}")
    assert kinds_for(world.mate) == []
