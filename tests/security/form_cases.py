"""Every form of Convene's own and every query string, as hostile-input cases: the route, the
role that uses it, what hypothesis fills it with, and where the result is seen. A route added
without a case here fails test_every_route_is_driven_or_has_no_input."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from hypothesis import strategies as st

from messaging.discussions.models import EmailFrequency, ReactionKind
from network.models import (
    Role,
)
from tests.conftest import World
from tests.security.form_fields import (
    OWN_ANNOUNCEMENT,
    OWN_SLUG,
    OWN_THREAD,
    FormCase,
    announcement_audience,
    announcement_fields,
    announces_only_to_own_cohort,
    bulk_return,
    check_in_page,
    checked_in_only_from_own_cohort,
    cohort_fields,
    event_fields,
    junk_only,
    member_choice,
    member_page,
    no_hidden_seat,
    nothing_done_to_the_other_cohort,
    poll_answers,
    poll_close_fields,
    poll_fields,
    position_fields,
    profile_fields,
    roster_csv,
    thread_url,
)
from tests.security.hostile import (
    HOSTILE_SETTINGS,
    JUNK,
    TEXT,
    Scene,
    ids,
    valid_or_hostile,
)

CASES = [
    # Network
    FormCase("network:profile_edit", "member", profile_fields, shown=member_page, stores_html=True),
    FormCase(
        "network:positions", "member", position_fields, shown=member_page, holds=no_hidden_seat
    ),
    FormCase(
        "network:position_edit",
        "member",
        position_fields,
        kwargs=lambda w, s: {"pk": s.position.pk},
        shown=member_page,
        holds=no_hidden_seat,
    ),
    FormCase(
        "network:position_predecessor",
        "manager",
        lambda w, s: {"predecessor_name": position_fields(w, s)["predecessor_name"]},
        kwargs=lambda w, s: {"member_pk": w.member.pk, "pk": s.position.pk},
        shown=member_page,
        holds=no_hidden_seat,
    ),
    FormCase("network:left_government", "member", junk_only, shown=member_page),
    FormCase("network:deactivate", "member", lambda w, s: {"confirm": JUNK}),
    FormCase("network:cohort_create", "admin", cohort_fields, viewer="manager"),
    FormCase(
        "network:cohort_edit",
        "manager",
        cohort_fields,
        kwargs=OWN_SLUG,
        shown=lambda w, s: [reverse("network:cohort", args=[w.cohort.slug])],
        viewer="member",
    ),
    FormCase(
        "network:cohort_manage",
        "manager",
        lambda w, s: {
            "email": st.one_of(TEXT, st.just(w.outsider.user.email)),
            "role": valid_or_hostile(*Role.values),
        },
        kwargs=OWN_SLUG,
    ),
    FormCase(
        "network:cohort_invite",
        "manager",
        lambda w, s: {"emails": TEXT, "role": valid_or_hostile(*Role.values)},
        kwargs=OWN_SLUG,
        shown=lambda w, s: [reverse("network:cohort_manage", args=[w.cohort.slug])],
        viewer="manager",
    ),
    FormCase(
        "network:cohort_invite",
        "manager",
        lambda w, s: {},
        kwargs=OWN_SLUG,
        uploads=roster_csv,
        case="csv file",
        shown=lambda w, s: [reverse("network:cohort_manage", args=[w.cohort.slug])],
        viewer="manager",
    ),
    FormCase(
        "network:membership_role",
        "manager",
        lambda w, s: {"role": valid_or_hostile(*Role.values)},
        kwargs=lambda w, s: {"slug": w.cohort.slug, "pk": s.mate_membership.pk},
    ),
    FormCase(
        "network:membership_remove",
        "manager",
        junk_only,
        kwargs=lambda w, s: {"slug": w.cohort.slug, "pk": s.mate_membership.pk},
    ),
    FormCase(
        "network:invitation_resend",
        "manager",
        junk_only,
        kwargs=lambda w, s: {"slug": w.cohort.slug, "pk": s.invitation.pk},
    ),
    FormCase(
        "network:invitation_revoke",
        "manager",
        junk_only,
        kwargs=lambda w, s: {"slug": w.cohort.slug, "pk": s.invitation.pk},
    ),
    # Chat pages (the socket has its own test)
    FormCase(
        "messaging:send",
        "member",
        lambda w, s: {"body": TEXT, "client_id": TEXT},
        kwargs=lambda w, s: {"room_id": s.cohort_room},
        shown=lambda w, s: [reverse("messaging:room", args=[s.cohort_room])],
    ),
    FormCase("messaging:start_direct", "member", lambda w, s: {"member": member_choice(w, s)}),
    FormCase(
        "messaging:start_group",
        "member",
        lambda w, s: {"name": TEXT, "members": member_choice(w, s)},
        shown=lambda w, s: [reverse("messaging:chat")],
    ),
    # Discussions
    FormCase(
        "discussions:new_thread",
        "member",
        lambda w, s: {"title": TEXT, "body": TEXT},
        kwargs=lambda w, s: {"slug": s.own_board.slug},
        shown=lambda w, s: [
            reverse("discussions:board", args=[s.own_board.slug]),
            reverse("discussions:notifications"),
        ],
        stores_html=True,
    ),
    FormCase(
        "discussions:new_thread",
        "member",
        lambda w, s: {"title": TEXT, "body": TEXT},
        kwargs=lambda w, s: {"slug": s.lounge.slug},
        case="network board",
        shown=lambda w, s: [reverse("discussions:board", args=[s.lounge.slug])],
        viewer="outsider",
        stores_html=True,
    ),
    FormCase(
        "discussions:reply",
        "member",
        lambda w, s: {"body": TEXT, "quote_of": ids(s.reply.pk, s.other_post.pk)},
        kwargs=OWN_THREAD,
        shown=thread_url,
        stores_html=True,
    ),
    FormCase(
        "discussions:post_edit",
        "member",
        lambda w, s: {"body": TEXT},
        kwargs=lambda w, s: {"pk": s.opening.pk},
        shown=thread_url,
        stores_html=True,
    ),
    FormCase(
        "discussions:post_delete", "member", junk_only, kwargs=lambda w, s: {"pk": s.opening.pk}
    ),
    FormCase(
        "discussions:react",
        "member",
        lambda w, s: {"kind": valid_or_hostile(*ReactionKind.values)},
        kwargs=lambda w, s: {"pk": s.reply.pk},
        shown=thread_url,
    ),
    FormCase(
        "discussions:report",
        "member",
        lambda w, s: {"reason": TEXT},
        kwargs=lambda w, s: {"pk": s.reply.pk},
        shown=lambda w, s: [reverse("discussions:queue")],
        viewer="manager",
    ),
    FormCase(
        "discussions:post_hide",
        "manager",
        lambda w, s: {"hidden": JUNK},
        kwargs=lambda w, s: {"pk": s.reply.pk},
        shown=thread_url,
    ),
    FormCase(
        "discussions:report_resolve",
        "manager",
        lambda w, s: {"action": valid_or_hostile("dismiss", "hide")},
        kwargs=lambda w, s: {"pk": s.report.pk},
    ),
    FormCase(
        "discussions:board_follow",
        "member",
        lambda w, s: {"level": valid_or_hostile("follow", "mute", "default")},
        kwargs=lambda w, s: {"slug": s.own_board.slug},
    ),
    FormCase(
        "discussions:thread_follow",
        "member",
        lambda w, s: {"level": valid_or_hostile("follow", "mute", "default")},
        kwargs=OWN_THREAD,
    ),
    FormCase(
        "discussions:thread_moderate",
        "manager",
        lambda w, s: {
            "action": valid_or_hostile("pin", "unpin", "lock", "unlock", "move"),
            "board": st.one_of(st.sampled_from([s.lounge.slug, s.other_board.slug]), TEXT),
        },
        kwargs=OWN_THREAD,
        shown=thread_url,
    ),
    FormCase(
        "discussions:board_mute",
        "manager",
        lambda w, s: {
            "member": member_choice(w, s),
            "hours": valid_or_hostile(1, 24, 168, 720),
            "reason": TEXT,
        },
        kwargs=lambda w, s: {"slug": s.own_board.slug},
        shown=thread_url,
    ),
    FormCase(
        "discussions:preferences",
        "member",
        lambda w, s: {"frequency": valid_or_hostile(*EmailFrequency.values)},
    ),
    FormCase("discussions:notifications_read_all", "member", junk_only),
    FormCase(
        "discussions:notification_read",
        "member",
        lambda w, s: {"open": JUNK},
        kwargs=lambda w, s: {"pk": s.note.pk},
    ),
    FormCase(
        "discussions:unsubscribe",
        "anonymous",
        junk_only,
        kwargs=lambda w, s: {"token": s.unsubscribe_token},
    ),
    # Events and polls
    FormCase(
        "events:create",
        "manager",
        event_fields,
        shown=lambda w, s: [reverse("events:list")],
        viewer="member",
        stores_html=True,
    ),
    FormCase(
        "events:edit",
        "manager",
        event_fields,
        kwargs=lambda w, s: {"pk": s.event.pk},
        shown=lambda w, s: [reverse("events:detail", args=[s.event.pk])],
        viewer="member",
        stores_html=True,
    ),
    FormCase("events:cancel", "manager", junk_only, kwargs=lambda w, s: {"pk": s.event.pk}),
    FormCase(
        "events:rsvp",
        "member",
        lambda w, s: {"answer": valid_or_hostile("going", "declined")},
        kwargs=lambda w, s: {"pk": s.event.pk},
    ),
    FormCase(
        "events:attendance",
        "manager",
        lambda w, s: {"attended": member_choice(w, s)},
        kwargs=lambda w, s: {"pk": s.past_event.pk},
    ),
    FormCase("events:calendar", "member", junk_only),
    FormCase(
        "events:poll_create",
        "manager",
        poll_fields,
        shown=lambda w, s: [reverse("events:list")],
        viewer="member",
    ),
    FormCase(
        "events:poll",
        "member",
        poll_answers,
        kwargs=lambda w, s: {"pk": s.poll.pk},
        viewer="manager",
        shown=lambda w, s: [reverse("events:poll", args=[s.poll.pk])],
    ),
    FormCase(
        "events:poll_close",
        "manager",
        poll_close_fields,
        kwargs=lambda w, s: {"pk": s.poll.pk},
        stores_html=True,
    ),
    FormCase("events:poll_remind", "manager", junk_only, kwargs=lambda w, s: {"pk": s.poll.pk}),
    FormCase(
        "events:check_in_mark",
        "manager",
        lambda w, s: {
            "member": member_choice(w, s),
            "action": valid_or_hostile("", "undo"),
            "q": TEXT,
        },
        kwargs=lambda w, s: {"pk": s.event.pk},
        shown=check_in_page,
        viewer="manager",
        holds=checked_in_only_from_own_cohort,
        examples=10,
    ),
    # Announcements
    FormCase(
        "announcements:new",
        "manager",
        announcement_audience,
        shown=lambda w, s: [reverse("network:home"), reverse("announcements:list")],
        viewer="member",
        stores_html=True,
        holds=announces_only_to_own_cohort,
        examples=10,
    ),
    FormCase(
        "announcements:edit",
        "manager",
        announcement_fields,
        kwargs=OWN_ANNOUNCEMENT,
        shown=lambda w, s: [
            reverse("announcements:detail", args=[s.announcement.pk]),
            reverse("network:home"),
        ],
        viewer="member",
        stores_html=True,
        holds=announces_only_to_own_cohort,
        examples=10,
    ),
    FormCase("announcements:withdraw", "manager", junk_only, kwargs=OWN_ANNOUNCEMENT, examples=5),
    FormCase("announcements:dismiss", "member", junk_only, kwargs=OWN_ANNOUNCEMENT, examples=10),
    # The console and the manage lists
    FormCase(
        "network:nudge_template",
        "manager",
        lambda w, s: {"subject": TEXT, "body": TEXT},
        kwargs=OWN_SLUG,
        shown=lambda w, s: [reverse("network:nudge_template", args=[w.cohort.slug])],
        viewer="manager",
        examples=10,
    ),
    FormCase(
        "network:nudge_send",
        "manager",
        lambda w, s: {"member": member_choice(w, s), "extra": JUNK},
        kwargs=OWN_SLUG,
        holds=nothing_done_to_the_other_cohort,
        examples=10,
    ),
    FormCase(
        "network:roster_bulk",
        "manager",
        lambda w, s: {
            "chosen": ids(s.mate_membership.pk, s.other_membership.pk),
            "action": valid_or_hostile("remove"),
            "return": bulk_return(w, s),
        },
        kwargs=OWN_SLUG,
        holds=nothing_done_to_the_other_cohort,
        examples=10,
    ),
    FormCase(
        "network:invitations_bulk",
        "manager",
        lambda w, s: {
            "chosen": ids(s.invitation.pk, s.other_invitation.pk),
            "action": valid_or_hostile("resend", "revoke"),
            "return": bulk_return(w, s),
        },
        kwargs=OWN_SLUG,
        holds=nothing_done_to_the_other_cohort,
        examples=10,
    ),
    FormCase(
        "network:import_retry",
        "manager",
        junk_only,
        kwargs=lambda w, s: {"slug": w.cohort.slug, "pk": s.roster_import.pk},
        examples=5,
    ),
]


@dataclass(frozen=True)
class QueryCase:
    """A GET form: its query string is as hostile as any POST body."""

    route: str
    params: Callable[[World, Scene], dict[str, st.SearchStrategy]]
    kwargs: Callable[[World, Scene], dict[str, Any]] = field(default=lambda w, s: {})
    role: str = "member"
    examples: int = HOSTILE_SETTINGS.max_examples


DIRECTORY_PARAMS = (
    *("q", "member_type", "agency", "program", "cohort", "expertise", "challenge"),
    *("time_zone", "sort", "page"),
)
QUERY_CASES = [
    QueryCase(
        "network:directory",
        lambda w, s: dict.fromkeys(DIRECTORY_PARAMS, JUNK),
    ),
    QueryCase("network:member_autocomplete", lambda w, s: {"q": JUNK}),
    QueryCase("network:tags", lambda w, s: {"q": JUNK}),
    QueryCase(
        "discussions:search",
        lambda w, s: {"q": JUNK, "page": JUNK, "board": JUNK, "author": ids(w.outsider.pk)},
    ),
    QueryCase("events:list", lambda w, s: {"cohort": JUNK, "program": JUNK, "zone": JUNK}),
    QueryCase("events:past", lambda w, s: {"cohort": JUNK, "program": JUNK}),
    QueryCase("discussions:thread", lambda w, s: {"page": JUNK, "quote": JUNK}, OWN_THREAD),
    QueryCase("discussions:thread_updates", lambda w, s: {"after": JUNK}, OWN_THREAD),
    QueryCase(
        "messaging:room", lambda w, s: {"before": JUNK}, lambda w, s: {"room_id": s.cohort_room}
    ),
    QueryCase("admin_login", lambda w, s: {"next": JUNK}, role="anonymous", examples=10),
    QueryCase("announcements:new", lambda w, s: {"cohort": JUNK}, role="manager", examples=10),
    QueryCase(
        "events:check_in",
        lambda w, s: {"q": st.one_of(JUNK, st.sampled_from([w.outsider.name, s.hidden.name]))},
        lambda w, s: {"pk": s.event.pk},
        role="manager",
        examples=10,
    ),
    QueryCase(
        "network:roster_manage",
        lambda w, s: {"q": JUNK, "sort": JUNK, "page": JUNK},
        OWN_SLUG,
        role="manager",
        examples=10,
    ),
    QueryCase(
        "network:invitations_manage",
        lambda w, s: {"q": JUNK, "status": JUNK, "sort": JUNK, "page": JUNK},
        OWN_SLUG,
        role="manager",
        examples=10,
    ),
]

# Routes that take no input beyond their URL (the permission matrix drives those), with why.
NO_INPUT = {
    "healthz", "readyz", "network:home", "network:cohorts", "network:cohort", "network:member",
    "network:avatar", "network:own_data", "network:roster_export", "network:import",
    "network:import_progress", "network:invitation", "messaging:chat", "messaging:unread",
    "discussions:boards", "discussions:queue", "discussions:notifications", "discussions:bell",
    "discussions:board", "discussions:board_members", "discussions:post",
    "discussions:post_history", "events:this_month", "events:month", "events:detail",
    "events:ics", "events:feed", "announcements:list", "announcements:detail",
    "events:attendees_export", "events:cohort_attendance_export", "network:cohort_console",
    "network:program_console", "network:engagement_export", "network:import_errors_export",
    "network:own_data_archive", "network:own_profile",
}  # fmt: skip
