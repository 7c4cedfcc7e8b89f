"""Every write in discussions: boards, threads, posts, reactions, reading, following and
moderation. Moderation actions are recorded in the audit log."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from messaging.discussions.access import board_audience
from messaging.discussions.models import (
    Board,
    BoardMute,
    Level,
    NotificationKind,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    RecordsMode,
    Report,
    Subscription,
    Thread,
    ThreadRead,
)
from messaging.discussions.notifications import notify
from messaging.discussions.rendering import plain_text, render_body
from network import audit
from network.models import Cohort, Member

# Boards -------------------------------------------------------------------------------------


def create_board(
    *,
    name: str,
    records_mode: str = RecordsMode.INFORMAL,
    description: str = "",
    cohort: Cohort | None = None,
    actor=None,
) -> Board:
    """A network-wide board (or a cohort's), with a unique slug; recorded in the audit log."""
    base = slugify(name)[:120] or "board"
    slug, n = base, 1
    while Board.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    board = Board.objects.create(
        name=name, slug=slug, description=description, cohort=cohort, records_mode=records_mode
    )
    audit.record("discussions.board_created", actor=actor, target=board, board=board.slug)
    return board


def open_cohort_board(*, cohort: Cohort) -> Board:
    """The cohort's board, made with the cohort (the same board on every later call)."""
    board = Board.objects.filter(cohort=cohort).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            return create_board(
                name=cohort.name,
                cohort=cohort,
                description=f"Discussion for members of {cohort.name}.",
            )
    except IntegrityError:  # made at the same moment by another call
        return Board.objects.get(cohort=cohort)


def ensure_cohort_boards(cohorts) -> None:
    """Each of the cohorts has its board: for cohorts made without the network's services (the
    demo seed, test factories); idempotent."""
    for cohort in cohorts:
        open_cohort_board(cohort=cohort)


# Event discussions --------------------------------------------------------------------------

# Network-wide events are discussed on an "Events" board of the event's records mode, made the
# first time one is needed: a board's records mode is what its composer shows, so an off-the-record
# event cannot share a board with on-the-record ones.
EVENT_BOARDS = {
    RecordsMode.INFORMAL: ("network-events", "Events"),
    RecordsMode.OFF_THE_RECORD: ("network-events-off-the-record", "Events · off the record"),
    RecordsMode.ON_THE_RECORD: ("network-events-on-the-record", "Events · on the record"),
}


def _events_board(records_mode: str) -> Board:
    slug, name = EVENT_BOARDS[RecordsMode(records_mode)]
    board = Board.objects.filter(slug=slug).first()
    if board is not None:
        return board
    try:
        with transaction.atomic():
            board = Board.objects.create(
                name=name,
                slug=slug,
                records_mode=records_mode,
                description="Discussion of network-wide events, one thread per event.",
            )
    except IntegrityError:  # made at the same moment for another event
        return Board.objects.get(slug=slug)
    audit.record("discussions.board_created", actor=None, target=board, board=board.slug)
    return board


def _board_for_event(cohort: Cohort | None, records_mode: str) -> Board:
    if cohort is None:
        return _events_board(records_mode)
    return open_cohort_board(cohort=cohort)


def thread_for_event(
    *,
    event_uid: uuid.UUID,
    title: str,
    url: str,
    cohort: Cohort | None,
    records_mode: str,
    author: Member,
) -> Thread:
    """The event's discussion thread, made on first call and the same one on every later call
    (concurrent first calls too: ``event_uid`` is unique).

    A cohort's event is discussed on the cohort's board, in a thread that keeps the event's
    records mode when the board has another; a network-wide event on the "Events" board of
    its records mode. The
    opening post, by ``author``, links back to the event page at ``url``.
    """
    existing = Thread.objects.filter(event_uid=event_uid).first()
    if existing is not None:
        return existing
    board = _board_for_event(cohort, records_mode)
    body = (
        f"This thread is for discussing the event [{title}]({url}): "
        "its time, place and RSVP are on its page."
    )
    try:
        with transaction.atomic():
            thread = Thread.objects.create(
                board=board,
                title=title.strip()[:200],
                author=author,
                event_uid=event_uid,
                # The event's own mode, when its cohort's board has another.
                records_mode="" if board.records_mode == records_mode else records_mode,
            )
            _add_post(thread=thread, author=author, body=body, quote_of=None)
    except IntegrityError:
        return Thread.objects.get(event_uid=event_uid)
    thread.refresh_from_db()
    return thread


def follow_event_change(*, event_uid: uuid.UUID, title: str, records_mode: str) -> None:
    """An edited event's thread takes its new title, and follows it off the record, never
    the other way: what was said off the record stays off the record."""
    thread = Thread.objects.select_related("board").filter(event_uid=event_uid).first()
    if thread is None:
        return
    thread.title = title.strip()[:200]
    changed = ["title"]
    if records_mode == RecordsMode.OFF_THE_RECORD and not thread.off_the_record:
        thread.records_mode = "" if thread.board.off_the_record else records_mode
        changed.append("records_mode")
    thread.save(update_fields=changed)


def post_to_event_thread(*, event_uid: uuid.UUID, author: Member, body: str) -> Post | None:
    """A reply in the event's thread, if it has one (nothing is made just to say this)."""
    thread = Thread.objects.filter(event_uid=event_uid).first()
    if thread is None:
        return None
    with transaction.atomic():
        return _add_post(thread=thread, author=author, body=body, quote_of=None)


# Posts --------------------------------------------------------------------------------------


def _search_columns(title: str, body_html: str) -> dict:
    """What search reads, written in the same statement as the post: an insert followed by
    updates left two dead row versions per post, doubling the table that searches scan."""
    text = f"{title}\n{plain_text(body_html)}".strip()
    columns: dict = {"search_text": text}
    if connection.vendor == "postgresql":
        columns["search_vector"] = SearchVector(Value(text), config="english")
    return columns


def _reindexed(post: Post) -> list[str]:
    """Set the post's search columns from its current body; their names, to save with it."""
    columns = _search_columns(post.thread.title if post.number == 1 else "", post.body_html)
    for name, value in columns.items():
        setattr(post, name, value)
    return list(columns)


def post_url(post: Post) -> str:
    return reverse("discussions:post", args=[post.pk])


def _follow_if_new(member: Member, thread: Thread) -> None:
    Subscription.objects.get_or_create(
        member=member, thread=thread, defaults={"level": Level.FOLLOW}
    )


def _notify_about(post: Post, mentioned: set[int]) -> None:
    thread, board, author = post.thread, post.thread.board, post.author
    assert author is not None  # a post being written has its author
    audience = board_audience(board)
    muted = set(
        Subscription.objects.filter(thread=thread, level=Level.MUTE).values_list(
            "member", flat=True
        )
    )
    title = f"“{thread.title}”"
    who = "Someone" if thread.off_the_record else author.name
    url = post_url(post)

    def send(ids: set[int], kind: NotificationKind, summary: str) -> set[int]:
        ids = ids - muted - {author.pk}
        if ids:
            notify(
                recipients=audience.filter(pk__in=ids),
                kind=kind,
                summary=summary,
                url=url,
                actor=author,
                thread=thread,
                post=post,
            )
        return ids

    done = send(mentioned, NotificationKind.MENTION, f"{who} mentioned you in {title}")
    if post.number > 1 and thread.author_id and thread.author_id not in done:
        done |= send(
            {thread.author_id}, NotificationKind.REPLY_TO_MY_THREAD, f"{who} replied to {title}"
        )
    followers = set(
        Subscription.objects.filter(thread=thread, level=Level.FOLLOW).values_list(
            "member", flat=True
        )
    ) | set(
        Subscription.objects.filter(board=board, level=Level.FOLLOW).values_list(
            "member", flat=True
        )
    )
    verb = f"{who} replied in {title}" if post.number > 1 else f"New thread {title}"
    send(followers - done, NotificationKind.REPLY_FOLLOWED, verb)


def _add_post(*, thread: Thread, author: Member, body: str, quote_of: Post | None) -> Post:
    thread = Thread.objects.select_for_update().select_related("board").get(pk=thread.pk)
    body_html, mentioned = render_body(body, board=thread.board)
    now = timezone.now()
    number = thread.post_count + 1
    post = Post.objects.create(
        thread=thread,
        number=number,
        author=author,
        body=body,
        body_html=body_html,
        quote_of=quote_of if quote_of and quote_of.thread_id == thread.pk else None,
        created_at=now,
        **_search_columns(thread.title if number == 1 else "", body_html),
    )
    thread.post_count = post.number
    thread.participant_count = (
        Post.objects.filter(thread=thread).values("author").distinct().count()
    )
    thread.last_post_at, thread.last_author = now, author
    thread.save(update_fields=["post_count", "participant_count", "last_post_at", "last_author"])
    post.thread = thread
    _follow_if_new(author, thread)
    for member in board_audience(thread.board).filter(pk__in=mentioned - {author.pk}):
        _follow_if_new(member, thread)
    mark_read(member=author, thread=thread, number=post.number)
    _notify_about(post, mentioned)
    return post


@transaction.atomic
def start_thread(*, board: Board, author: Member, title: str, body: str) -> Thread:
    """A thread with its opening post; the author follows it, mentions and board followers
    are notified after commit."""
    thread = Thread.objects.create(board=board, title=title.strip(), author=author)
    _add_post(thread=thread, author=author, body=body, quote_of=None)
    thread.refresh_from_db()
    return thread


@transaction.atomic
def post_reply(*, thread: Thread, author: Member, body: str, quote_of: Post | None = None) -> Post:
    """The next numbered post in the thread. Posting follows the thread; the thread's author,
    followers and anyone mentioned who can see it are notified (never the author)."""
    return _add_post(thread=thread, author=author, body=body, quote_of=quote_of)


@transaction.atomic
def edit_post(*, post: Post, body: str) -> Post:
    """New body, marked edited; the earlier version is kept for moderators. Edits never
    notify (a mention added later does not reach anyone)."""
    PostRevision.objects.create(
        post=post,
        body=post.body,
        body_html=post.body_html,
        written_at=post.edited_at or post.created_at,
    )
    post.body = body
    post.body_html, _ = render_body(body, board=post.thread.board)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at", *_reindexed(post)])
    return post


@transaction.atomic
def delete_post(*, post: Post) -> Post:
    """The author's delete: the post stays as a tombstone so numbering and replies hold."""
    post.body, post.body_html, post.deleted_at = "", "", timezone.now()
    post.save(update_fields=["body", "body_html", "deleted_at", *_reindexed(post)])
    PostRevision.objects.filter(post=post).delete()
    return post


def toggle_reaction(*, post: Post, member: Member, kind: str) -> bool:
    """Adds the member's reaction of that kind, or takes it back; True when it now exists."""
    kind = ReactionKind(kind)
    deleted, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
    if deleted:
        return False
    Reaction.objects.get_or_create(post=post, member=member, kind=kind)
    return True


# Reading and following ----------------------------------------------------------------------


def mark_read(*, member: Member, thread: Thread, number: int) -> None:
    """Read up to post ``number``; never moves backwards."""
    now = timezone.now()
    mine = ThreadRead.objects.filter(member=member, thread=thread)
    # One statement on every visit after the first (this runs on every thread page view).
    change = {"last_read": Greatest("last_read", Value(number)), "visited_at": now}
    if mine.update(**change):
        return
    try:
        with transaction.atomic():
            ThreadRead.objects.create(
                member=member, thread=thread, last_read=number, visited_at=now
            )
    except IntegrityError:  # another request made it first: move it forward instead
        mine.update(**change)


def set_subscription(
    *, member: Member, level: str | None, thread: Thread | None = None, board: Board | None = None
) -> None:
    """Follow, mute, or (level None) return to the default for one thread or board."""
    target = {"thread": thread} if thread is not None else {"board": board}
    if level is None:
        Subscription.objects.filter(member=member, **target).delete()
    else:
        Subscription.objects.update_or_create(
            member=member, **target, defaults={"level": Level(level)}
        )


# Moderation ---------------------------------------------------------------------------------


# From most exportable to most protected: a thread never silently moves down this list.
STRICTNESS = [RecordsMode.ON_THE_RECORD, RecordsMode.INFORMAL, RecordsMode.OFF_THE_RECORD]


def strictest(*modes: str) -> str:
    return max(modes, key=lambda mode: STRICTNESS.index(RecordsMode(mode)))


def moderate_thread(
    *, thread: Thread, action: str, actor, request=None, to_board: Board | None = None
) -> Thread:
    """Pin, unpin, lock, unlock or move a thread; always recorded in the audit log.

    A moved thread keeps the strictest records mode it has had: what was said off the record
    stays off the record on an informal board (only `set_thread_records_mode` relaxes it).
    """
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
    }
    if action == "move":
        if to_board is None:
            raise ValueError("Moving needs a board.")
        kept = strictest(thread.effective_records_mode, to_board.records_mode)
        own_mode = "" if kept == to_board.records_mode else kept
        data = {"from_board": thread.board.slug, "to_board": to_board.slug, "records_mode": kept}
        Thread.objects.filter(pk=thread.pk).update(board=to_board, records_mode=own_mode)
    else:
        data = {}
        Thread.objects.filter(pk=thread.pk).update(**changes[action])
    audit.record(
        f"discussions.thread_{action}", actor=actor, request=request, target=thread, **data
    )
    thread.refresh_from_db()
    return thread


def set_thread_records_mode(*, thread: Thread, records_mode: str, actor, request=None) -> Thread:
    """A moderator's explicit change of one thread's records mode (the form warns first)."""
    before = thread.effective_records_mode
    own_mode = "" if records_mode == thread.board.records_mode else records_mode
    Thread.objects.filter(pk=thread.pk).update(records_mode=own_mode)
    audit.record(
        "discussions.thread_records_mode", actor=actor, request=request, target=thread,
        old=before, new=records_mode,
    )  # fmt: skip
    thread.refresh_from_db()
    return thread


def hide_post(*, post: Post, hidden: bool, moderator: Member, request=None) -> Post:
    """Hides the post from members (moderators still see it) or shows it again."""
    post.hidden_at = timezone.now() if hidden else None
    post.hidden_by = moderator if hidden else None
    post.save(update_fields=["hidden_at", "hidden_by"])
    audit.record(
        "discussions.post_hidden" if hidden else "discussions.post_shown",
        actor=moderator.user,
        request=request,
        target=post,
        post=post.pk,
    )
    return post


def mute_member(
    *, board: Board, member: Member, hours: int, reason: str, moderator: Member, request=None
) -> BoardMute:
    """The member cannot post on the board for ``hours``; recorded in the audit log."""
    mute = BoardMute.objects.create(
        board=board,
        member=member,
        until=timezone.now() + timedelta(hours=hours),
        reason=reason,
        muted_by=moderator,
    )
    audit.record(
        "discussions.member_muted",
        actor=moderator.user,
        request=request,
        target=member,
        board=board.slug,
        hours=hours,
        reason=reason,
    )
    return mute


def report_post(*, post: Post, reporter: Member, reason: str) -> Report:
    """A member's report, queued for the board's moderators."""
    report = Report.objects.create(post=post, reporter=reporter, reason=reason.strip())
    audit.record("discussions.post_reported", actor=reporter.user, target=post, post=post.pk)
    return report


@transaction.atomic
def resolve_report(*, report: Report, action: str, moderator: Member, request=None) -> Report:
    """Dismiss the report, or hide the post; every open report on that post is closed."""
    if action == "hide":
        hide_post(post=report.post, hidden=True, moderator=moderator, request=request)
    Report.objects.filter(post=report.post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, resolution=action
    )
    audit.record(
        "discussions.report_resolved",
        actor=moderator.user,
        request=request,
        target=report.post,
        resolution=action,
    )
    report.refresh_from_db()
    return report
