"""What messaging does when something happens elsewhere (connected in MessagingConfig.ready):
chat sockets close when their login session ends, and a cohort's board, room and read state are
made when the network's services make the cohort or the membership (network.signals)."""

from __future__ import annotations

from asgiref.sync import async_to_sync

from messaging.discussions.services import open_cohort_board
from messaging.services.broadcast import group_send_quietly, session_group
from messaging.services.chat import join_cohort_room, leave_cohort_room, open_cohort_room
from network.models import Cohort, CohortMembership


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """Sockets of the session close at once; the periodic re-check is the safety net."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        async_to_sync(group_send_quietly)(
            session_group(session_key), {"type": "chat.session_ended"}
        )


def open_cohort_spaces(sender, cohort: Cohort, **kwargs) -> None:
    """A new cohort is complete at once: its discussion board and its chat room."""
    open_cohort_board(cohort=cohort)
    open_cohort_room(cohort=cohort)


def join_cohort_spaces(sender, membership: CohortMembership, **kwargs) -> None:
    """A new member of a cohort has their place in its room (their read state)."""
    join_cohort_room(member=membership.member, cohort=membership.cohort)


def leave_cohort_spaces(sender, membership: CohortMembership, **kwargs) -> None:
    leave_cohort_room(member=membership.member, cohort=membership.cohort)


def send_nudges(sender, nudge_ids: list[int], **kwargs) -> None:
    from messaging.announcements.tasks import send_nudge

    for nudge_id in nudge_ids:
        send_nudge.delay(nudge_id)
