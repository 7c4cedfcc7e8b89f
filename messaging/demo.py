"""Recent activity for the demo (after network.demo.seed): a cohort thread with replies,
reactions and a mention, chat history in the cohort room and a direct conversation between the
two demo members, and an announcement. Written through the services, so notifications, unread
counts and mail follow as they would for people; idempotent."""

from __future__ import annotations

from messaging.announcements.models import Announcement, Audience
from messaging.announcements.services import create_announcement
from messaging.discussions.models import Board, Thread
from messaging.discussions.services import (
    ensure_cohort_boards,
    post_reply,
    start_thread,
    toggle_reaction,
)
from messaging.models import Message
from messaging.services.chat import ensure_cohort_rooms, send_message, start_direct
from network.models import Cohort, Member

THREAD_TITLE = "What is your first 90-day priority?"
ANNOUNCEMENT_TITLE = "Welcome to the cohort"


def _people(emails: dict[str, str]) -> dict[str, Member] | None:
    found = {m.user.email: m for m in Member.objects.filter(user__email__in=emails.values())}
    if len(found) != len(emails):
        return None
    return {key: found[email] for key, email in emails.items()}


def seed(logins: dict[str, str]) -> dict[str, int]:
    """Needs the demo logins (member, peer, manager) from network.demo; does nothing without."""
    people = _people({key: logins[key] for key in ("member", "peer", "manager")})
    if people is None:
        return {"threads": 0, "messages": 0}
    member, peer, manager = people["member"], people["peer"], people["manager"]
    cohort = Cohort.objects.filter(memberships__member=member).order_by("pk").first()
    if cohort is None:
        return {"threads": 0, "messages": 0}
    _thread(cohort, member, peer, manager)
    _chat(cohort, member, peer, manager)
    if not Announcement.objects.filter(title=ANNOUNCEMENT_TITLE, cohort=cohort).exists():
        create_announcement(
            author=manager,
            audience=Audience.COHORT,
            cohort=cohort,
            title=ANNOUNCEMENT_TITLE,
            body="Our first session is next week. Say hello in the **cohort room** in Chat.",
        )
    return {"threads": Thread.objects.count(), "messages": Message.objects.count()}


def _thread(cohort: Cohort, member: Member, peer: Member, manager: Member) -> None:
    ensure_cohort_boards([cohort])
    board = Board.objects.get(cohort=cohort)
    if Thread.objects.filter(board=board, title=THREAD_TITLE).exists():
        return
    thread = start_thread(
        board=board,
        author=manager,
        title=THREAD_TITLE,
        body="Share the one thing you most want to get done in your first three months.",
    )
    first = post_reply(
        thread=thread,
        author=peer,
        body=f"Hiring. @[{member.name}]({member.pk}), you did this last year, what worked?",
    )
    post_reply(
        thread=thread,
        author=member,
        body="Post the job early and ask the panel to meet *before* the applications close.",
        quote_of=first,
    )
    for person, kind in ((member, "thanks"), (manager, "agree"), (peer, "insight")):
        toggle_reaction(post=first, member=person, kind=kind)


def _chat(cohort: Cohort, member: Member, peer: Member, manager: Member) -> None:
    for person in (member, peer, manager):
        ensure_cohort_rooms(member=person)
    room = cohort.chat_room
    lines = [
        (manager, "Welcome, everyone. This room is for the whole cohort."),
        (peer, "Hello from across town. Looking forward to the retreat."),
        (member, "Hi all. Is anyone else working on hiring this quarter?"),
    ]
    direct = start_direct(member=member, other=peer)
    lines_direct = [
        (peer, "Thanks for the tip on hiring panels. Coffee next week?"),
        (member, "Gladly. Tuesday morning?"),
    ]
    for target, talk in ((room, lines), (direct, lines_direct)):
        for n, (author, body) in enumerate(talk):
            send_message(member=author, room=target, body=body, client_id=f"demo-{target.pk}-{n}")
