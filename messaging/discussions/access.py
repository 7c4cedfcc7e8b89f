"""Who may see and do what in discussions. Another cohort's board, thread or post is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from messaging.discussions.models import Board, BoardMute, Post, Thread
from network.access import (
    AnyUser,
    can_manage,
    is_administrator,
    is_manager,
    managed_cohorts,
    require_member,
)
from network.models import CohortMembership, Member


def get_board_for(user: AnyUser, slug: str) -> Board:
    try:
        return Board.objects.visible_to(user).select_related("cohort").get(slug=slug)
    except Board.DoesNotExist:
        raise Http404("No such board.") from None


def get_thread_for(user: AnyUser, pk: int) -> Thread:
    try:
        return Thread.objects.visible_to(user).select_related("board__cohort", "author").get(pk=pk)
    except Thread.DoesNotExist:
        raise Http404("No such thread.") from None


def get_post_for(user: AnyUser, pk: int) -> Post:
    try:
        return (
            Post.objects.visible_to(user)
            .select_related("thread__board__cohort", "author__user")
            .get(pk=pk)
        )
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


def event_thread_for(user: AnyUser, event_uid) -> Thread | None:
    """The discussion thread of the event with this UID if the user may see it, else None
    (no thread yet, or a moderator moved it to a board the user cannot see)."""
    return (
        Thread.objects.visible_to(user)
        .select_related("board")
        .only("pk", "title", "records_mode", "board__records_mode", "board__name")
        .filter(event_uid=event_uid)
        .first()
    )


def can_moderate(user: AnyUser, board: Board) -> bool:
    """Administrators moderate every board; a cohort's managers moderate its board."""
    if not (is_administrator(user) or is_manager(user)):
        # Most readers manage no cohort, which the request's user already says
        # (network.backends): no query to ask about this board's.
        return False
    return can_manage(user, board.cohort_id)


def check_can_moderate(user: AnyUser, board: Board) -> None:
    if not can_moderate(user, board):
        raise PermissionDenied("Only this board's moderators can do this.")


def has_moderation_queue(user: AnyUser) -> bool:
    """Whether the user moderates any board: who sees the queue and the way to it."""
    return is_administrator(user) or is_manager(user)


def moderated_boards(user: AnyUser) -> QuerySet[Board]:
    if is_administrator(user):
        return Board.objects.all()
    return Board.objects.filter(cohort__in=managed_cohorts(user).values("pk"))


def writer_for(user: AnyUser) -> Member:
    """The member who writes; accounts without a profile can read (admins) but not write."""
    return require_member(user)


def muted_until(member: Member, board: Board):
    mute = (
        BoardMute.objects.filter(board=board, member=member, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )
    return mute.until if mute else None


def check_can_post(user: AnyUser, board: Board, thread: Thread | None = None) -> Member:
    """The member, if they may start a thread on the board or reply to the thread."""
    member = writer_for(user)
    if thread is not None and thread.locked and not can_moderate(user, board):
        raise PermissionDenied("This thread is locked.")
    if muted_until(member, board) is not None:
        raise PermissionDenied("A moderator has muted you on this board for now.")
    return member


def check_can_edit(user: AnyUser, post: Post) -> Member:
    member = writer_for(user)
    if post.author_id != member.pk or post.deleted_at is not None:
        raise PermissionDenied("Only the author can change a post.")
    if post.thread.locked:
        raise PermissionDenied("This thread is locked.")
    return member


def board_audience(board: Board) -> QuerySet[Member]:
    """Every active member who can see the board (and so each of its threads)."""
    members = Member.objects.active()
    if board.cohort_id is None:
        return members
    in_cohort = CohortMembership.objects.filter(cohort_id=board.cohort_id).values("member")
    return members.filter(Q(pk__in=in_cohort) | Q(user__is_staff=True))


def post_actions(member: Member | None, *, moderator: bool, thread: Thread, post: Post) -> set[str]:
    """What the thread page offers on a post; the views that carry each action check the same
    rules (check_can_post, check_can_edit, check_can_report, check_can_moderate).

    quote: whoever may reply (moderators reply on locked threads too); edit (and delete): the
    author, while the thread is open; report: anyone but the author; hide or show, and the
    earlier versions of an edited post: the board's moderators.
    """
    if post.deleted_at is not None:
        return set()
    actions = set()
    mine = member is not None and post.author_id == member.pk
    if member is not None and (moderator or not thread.locked):
        actions.add("quote")
    if mine and not thread.locked:
        actions.add("edit")
    if member is not None and not mine:
        actions.add("report")
    if moderator:
        actions.add("show" if post.hidden_at is not None else "hide")
        if post.edited_at:
            actions.add("history")
    return actions


def check_can_report(user: AnyUser, post: Post) -> Member:
    """Members report other people's posts; their own they can edit or delete instead."""
    member = writer_for(user)
    if post.author_id == member.pk:
        raise PermissionDenied("You cannot report your own post: edit or delete it instead.")
    return member
