"""Discussions: every route for every role; another cohort's board, thread or post is a 404."""

from __future__ import annotations

from types import SimpleNamespace

from tests.matrix import Route, everyone, signed_in

POST = "post"


def objects(world) -> SimpleNamespace:
    """Boards, threads and posts in both cohorts and on a network board, made once per test."""
    if hasattr(world, "_discussions"):
        return world._discussions
    from messaging.discussions import emails, services
    from messaging.discussions.models import Board, Notification

    services.ensure_cohort_boards([world.cohort, world.other_cohort])
    lounge = services.create_board(name="Lounge")
    own = Board.objects.get(cohort=world.cohort)
    other = Board.objects.get(cohort=world.other_cohort)
    thread = services.start_thread(board=own, author=world.member, title="Ours", body="Hello")
    reply = services.post_reply(
        thread=thread, author=world.mate, body=f"@[{world.member.name}]({world.member.pk}) hi"
    )
    other_thread = services.start_thread(
        board=other, author=world.outsider, title="Theirs", body="Hi"
    )
    report = services.report_post(post=reply, reporter=world.member, reason="Rude")
    world._discussions = SimpleNamespace(
        lounge=lounge,
        own=own,
        other=other,
        thread=thread,
        post=thread.posts.get(number=1),
        reply=reply,
        other_thread=other_thread,
        other_post=other_thread.posts.get(number=1),
        report=report,
        note=Notification.objects.filter(recipient=world.member).first(),
        token=emails.unsubscribe_token(world.member),
    )
    return world._discussions


def own_board(w):
    return {"slug": objects(w).own.slug}


def other_board(w):
    return {"slug": objects(w).other.slug}


def lounge(w):
    return {"slug": objects(w).lounge.slug}


def own_thread(w):
    return {"pk": objects(w).thread.pk}


def other_thread(w):
    return {"pk": objects(w).other_thread.pk}


def own_post(w):
    return {"pk": objects(w).post.pk}


def other_post(w):
    return {"pk": objects(w).other_post.pk}


def ours(status, **more):
    """Members, mates, the cohort's manager and admins get ``status``; the other cohort 404."""
    return signed_in(status, outsider=404, other_manager=404, **more)


def theirs(status, **more):
    """Only the other cohort (and admins) see its things; everyone else gets 404."""
    return signed_in(404, **{"outsider": status, "other_manager": status, "admin": status, **more})


def moderators(status):
    return ours(status, member=403, mate=403)


def other_moderators(status):
    return theirs(status, outsider=403)


ROUTES = [
    Route("discussions:boards", signed_in(200)),
    Route("discussions:search", signed_in(200)),
    Route("discussions:queue", signed_in(404, manager=200, other_manager=200, admin=200)),
    Route("discussions:notifications", signed_in(200)),
    Route("discussions:bell", signed_in(200)),
    Route("discussions:preferences", signed_in(200)),
    Route("discussions:notifications_read_all", signed_in(302), method=POST),
    Route(
        "discussions:notification_read",
        signed_in(404, member=302),
        kwargs=lambda w: {"pk": objects(w).note.pk},
        method=POST,
    ),
    Route(
        "discussions:unsubscribe",
        everyone(200),
        kwargs=lambda w: {"token": objects(w).token},
        case="signed",
    ),
    Route(
        "discussions:unsubscribe",
        everyone(404),
        kwargs=lambda w: {"token": "forged:abc"},
        case="forged",
    ),
    # Boards
    Route("discussions:board", signed_in(200), kwargs=lounge, case="network"),
    Route("discussions:board", ours(200), kwargs=own_board, case="own cohort"),
    Route("discussions:board", theirs(200), kwargs=other_board, case="other cohort"),
    Route("discussions:board", signed_in(404), kwargs=lambda w: {"slug": "nope"}, case="missing"),
    Route("discussions:new_thread", signed_in(200), kwargs=lounge, case="network"),
    Route("discussions:new_thread", ours(200), kwargs=own_board, case="own cohort"),
    Route("discussions:new_thread", theirs(200), kwargs=other_board, case="other cohort"),
    Route("discussions:board_follow", ours(302), kwargs=own_board, method=POST, case="own"),
    Route("discussions:board_follow", theirs(302), kwargs=other_board, method=POST, case="other"),
    Route("discussions:board_members", ours(200), kwargs=own_board, case="own cohort"),
    Route("discussions:board_members", theirs(200), kwargs=other_board, case="other cohort"),
    Route("discussions:board_mute", moderators(200), kwargs=own_board, case="own cohort"),
    Route("discussions:board_mute", other_moderators(200), kwargs=other_board, case="other"),
    Route("discussions:board_mute", signed_in(403, admin=200), kwargs=lounge, case="network"),
    # Threads
    Route("discussions:thread", ours(200), kwargs=own_thread, case="own cohort"),
    Route("discussions:thread", theirs(200), kwargs=other_thread, case="other cohort"),
    Route("discussions:thread", signed_in(404), kwargs=lambda w: {"pk": 999999}, case="missing"),
    Route("discussions:thread_updates", ours(200), kwargs=own_thread, case="own cohort"),
    Route("discussions:thread_updates", theirs(200), kwargs=other_thread, case="other cohort"),
    Route("discussions:reply", ours(400), kwargs=own_thread, method=POST, case="own cohort"),
    Route("discussions:reply", theirs(400), kwargs=other_thread, method=POST, case="other"),
    Route("discussions:thread_follow", ours(302), kwargs=own_thread, method=POST, case="own"),
    Route("discussions:thread_follow", theirs(302), kwargs=other_thread, method=POST, case="other"),
    Route(
        "discussions:thread_moderate", moderators(302), kwargs=own_thread, method=POST, case="own"
    ),
    Route(
        "discussions:thread_moderate",
        other_moderators(302),
        kwargs=other_thread,
        method=POST,
        case="other",
    ),
    # Posts (the own cohort's opening post is the member's)
    Route("discussions:post", ours(302), kwargs=own_post, case="own cohort"),
    Route("discussions:post", theirs(302), kwargs=other_post, case="other cohort"),
    Route("discussions:post", signed_in(404), kwargs=lambda w: {"pk": 999999}, case="missing"),
    Route("discussions:post_edit", ours(403, member=200), kwargs=own_post, case="own cohort"),
    Route(
        "discussions:post_edit",
        theirs(403, outsider=200),
        kwargs=other_post,
        case="other cohort",
    ),
    Route(
        "discussions:post_delete", ours(403, member=302), kwargs=own_post, method=POST, case="own"
    ),
    Route(
        "discussions:post_delete",
        theirs(403, outsider=302),
        kwargs=other_post,
        method=POST,
        case="other",
    ),
    Route("discussions:post_history", moderators(200), kwargs=own_post, case="own cohort"),
    Route("discussions:post_history", other_moderators(200), kwargs=other_post, case="other"),
    Route("discussions:react", ours(302), kwargs=own_post, method=POST, case="own cohort"),
    Route("discussions:react", theirs(302), kwargs=other_post, method=POST, case="other cohort"),
    # The author of a post cannot report it (they edit or delete it instead).
    Route("discussions:report", {**ours(200), "member": 403}, kwargs=own_post, case="own cohort"),
    Route(
        "discussions:report",
        {**theirs(200), "outsider": 403},
        kwargs=other_post,
        case="other cohort",
    ),
    Route("discussions:post_hide", moderators(302), kwargs=own_post, method=POST, case="own"),
    Route(
        "discussions:post_hide", other_moderators(302), kwargs=other_post, method=POST, case="other"
    ),
    Route(
        "discussions:report_resolve",
        signed_in(404, manager=302, admin=302),
        kwargs=lambda w: {"pk": objects(w).report.pk},
        method=POST,
    ),
]
