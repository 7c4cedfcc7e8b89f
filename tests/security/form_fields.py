"""What the hostile-input cases fill each form with (hypothesis strategies per form), the case
types, and the checks that must hold after a submission (tests/security/form_cases.py lists the
cases; tests/security/test_hostile_forms.py runs them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import strategies as st

from events.models import Answer, LocationKind
from network.models import (
    ContactMethod,
    FieldVisibility,
    MemberType,
    Position,
    RecordsMode,
    Visibility,
)
from tests.conftest import World
from tests.security.hostile import (
    HOSTILE_SETTINGS,
    JUNK,
    SECRET,
    TEXT,
    Scene,
    ids,
    known_member_ids,
    valid_or_hostile,
)

Fields = Callable[[World, Scene], dict[str, st.SearchStrategy]]
Urls = Callable[[World, Scene], list[str]]

WALL_CLOCK = ["2031-03-09T02:30", "2031-11-02T01:30", "2031-05-01T10:00", "2031-05-01 11:00"]
DATES = ["2026-01-01", "2025-12-31", "1900-01-01", "9999-12-31"]


@dataclass(frozen=True)
class FormCase:
    route: str
    role: str
    fields: Fields
    kwargs: Callable[[World, Scene], dict[str, Any]] = lambda w, s: {}
    # Where someone else (``viewer``) sees what was sent.
    shown: Urls = lambda w, s: []
    viewer: str = "mate"
    case: str = ""
    uploads: Callable[[World, Scene], dict[str, st.SearchStrategy]] = lambda w, s: {}
    # Whether the form writes markdown that is stored as HTML (posts, bios, descriptions).
    stores_html: bool = False
    # What must still hold after each submission, beyond what every case checks.
    holds: Callable[[World, Scene], None] = lambda w, s: None
    # Generated submissions; the newer cases take fewer to keep the suite's run time.
    examples: int = HOSTILE_SETTINGS.max_examples

    @property
    def id(self) -> str:
        return f"{self.route}{f'[{self.case}]' if self.case else ''}"


def junk_only(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    """For POSTs that take no input: stray fields must change nothing they should not."""
    return {"extra": JUNK, "next": JUNK}


def profile_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    return {
        "name": TEXT,
        "headline": TEXT,
        "member_type": valid_or_hostile(*MemberType.values),
        "agency": ids(w.member.agency_id or 0),
        "organisation": TEXT,
        "bio": TEXT,
        "time_zone": valid_or_hostile("America/New_York", "Asia/Kolkata"),
        "visibility": valid_or_hostile(*Visibility.values),
        "phone": TEXT,
        "email_visibility": valid_or_hostile(*FieldVisibility.values),
        "phone_visibility": valid_or_hostile(*FieldVisibility.values),
        "contact_method": valid_or_hostile(*ContactMethod.values),
        "contact_note": TEXT,
        "expertise_tags": TEXT,
        "challenge_tags": TEXT,
    }


def position_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    return {
        "title": TEXT,
        "agency": ids(w.member.agency_id or 0),
        "organisation": TEXT,
        "starts_on": valid_or_hostile(*DATES),
        "ends_on": valid_or_hostile("", *DATES),
        "predecessor_name": st.one_of(TEXT, st.sampled_from([w.outsider.name, s.hidden.name])),
    }


def cohort_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    return {
        "program": ids(w.cohort.program_id, w.other_cohort.program_id),
        "name": TEXT,
        "description": TEXT,
        "starts_on": valid_or_hostile("", *DATES),
        "ends_on": valid_or_hostile("", *DATES),
    }


def event_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    return {
        "cohort": ids(w.cohort.pk, w.other_cohort.pk),
        "title": TEXT,
        "description": TEXT,
        "time_zone": valid_or_hostile("America/New_York", "Europe/London", "Pacific/Kiritimati"),
        "starts": valid_or_hostile(*WALL_CLOCK),
        "ends": valid_or_hostile(*WALL_CLOCK),
        "location_kind": valid_or_hostile(*LocationKind.values),
        "address": TEXT,
        "online_url": st.one_of(TEXT, st.just("https://meet.example.gov/x")),
        "capacity": ids(1, 30),
        "rsvp_deadline": valid_or_hostile("", *WALL_CLOCK),
        "records_mode": valid_or_hostile(*RecordsMode.values),
    }


def poll_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    slots = {f"slot_{n}": valid_or_hostile("", *WALL_CLOCK) for n in range(1, 7)}
    return {
        "cohort": ids(w.cohort.pk, w.other_cohort.pk),
        "title": TEXT,
        "description": TEXT,
        "time_zone": valid_or_hostile("America/New_York", "Australia/Lord_Howe"),
        "duration_minutes": ids(15, 60, 1440),
        "closes": valid_or_hostile("", *WALL_CLOCK),
        **slots,
    }


def poll_answers(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    slots = {f"slot_{slot.pk}": valid_or_hostile(*Answer.values) for slot in s.poll.slots.all()}
    return {**slots, f"slot_{s.other_poll.slots.first().pk}": valid_or_hostile(*Answer.values)}


def poll_close_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    own = [slot.pk for slot in s.poll.slots.all()]
    return {
        "slot": ids(*own, s.other_poll.slots.first().pk),
        "location_kind": valid_or_hostile(*LocationKind.values),
        "address": TEXT,
        "online_url": st.one_of(TEXT, st.just("https://meet.example.gov/x")),
        "capacity": ids(1, 30),
    }


def no_hidden_seat(w: World, s: Scene) -> None:
    """Naming a hidden member of another cohort never links (or reveals) their seat."""
    assert not Position.objects.filter(succeeds__member=s.hidden).exists()


def member_choice(w: World, s: Scene) -> st.SearchStrategy:
    return ids(*known_member_ids(w, s))


def thread_url(w: World, s: Scene) -> list[str]:
    return [reverse("discussions:thread", args=[s.thread.pk])]


def member_page(w: World, s: Scene) -> list[str]:
    return [reverse("network:member", args=[w.member.pk]), reverse("network:directory")]


def roster_csv(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    rows = st.lists(
        st.tuples(TEXT, st.one_of(TEXT, st.just("new@example.gov")), TEXT, TEXT, TEXT).map(
            lambda row: ",".join(f'"{cell}"' for cell in row)
        ),
        max_size=5,
    )
    return {
        "file": rows.map(
            lambda lines: SimpleUploadedFile(
                "roster.csv", "\n".join(lines).encode("utf-8", "surrogatepass"), "text/csv"
            )
        )
    }


def announcement_fields(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    return {"title": TEXT, "body": TEXT, "send_at": valid_or_hostile("", *WALL_CLOCK)}


def announcement_audience(w: World, s: Scene) -> dict[str, st.SearchStrategy]:
    audiences = (f"cohort:{w.cohort.pk}", f"cohort:{w.other_cohort.pk}", "network")
    return {"to": valid_or_hostile(*audiences), **announcement_fields(w, s)}


def announces_only_to_own_cohort(w: World, s: Scene) -> None:
    from messaging.announcements.models import Announcement

    mine = Announcement.objects.filter(author=w.manager)
    assert not mine.exclude(cohort=w.cohort).exists()
    assert Announcement.objects.get(pk=s.other_announcement.pk).title.endswith(SECRET)


def bulk_return(w: World, s: Scene) -> st.SearchStrategy:
    """Where a bulk action sends the manager back to: the list's query string, or anything."""
    return st.one_of(st.just("?q=a&sort=-joined&page=2"), TEXT.map(lambda t: f"?{t}"), TEXT)


def nothing_done_to_the_other_cohort(w: World, s: Scene) -> None:
    from network.models import CohortMembership, Invitation, Nudge

    assert CohortMembership.objects.filter(pk=s.other_membership.pk).exists()
    other = Invitation.objects.get(pk=s.other_invitation.pk)
    assert other.revoked_at is None and other.expires_at == s.other_invitation.expires_at
    assert not Nudge.objects.exclude(cohort=w.cohort).exists()
    assert not Nudge.objects.filter(member__in=[w.outsider, s.hidden]).exists()


def checked_in_only_from_own_cohort(w: World, s: Scene) -> None:
    from events.models import RSVP

    assert not RSVP.objects.filter(event=s.event, member__in=[w.outsider, s.hidden]).exists()


def check_in_page(w: World, s: Scene) -> list[str]:
    return [reverse("events:check_in", args=[s.event.pk])]


OWN_SLUG = lambda w, s: {"slug": w.cohort.slug}  # noqa: E731
OWN_ANNOUNCEMENT = lambda w, s: {"pk": s.announcement.pk}  # noqa: E731
OWN_THREAD = lambda w, s: {"pk": s.thread.pk}  # noqa: E731
