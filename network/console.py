"""The console's figures for a cohort or a program, read from the summary tables only.

Aggregates: counts, and members named only where the viewer manages them (their cohort's
members without a tie, or quiet for 30 days). Who counts is the cohort's current membership:
a member who left no longer counts among members, active members or ties, while what they
wrote in the cohort's spaces stays in the cohort's weekly counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from network import charts as charts_
from network.charts import Chart
from network.models import (
    CohortMembership,
    CohortWeek,
    EventTally,
    Invitation,
    Member,
    MemberDay,
    MemberType,
    Nudge,
    Tie,
)

WEEKS_SHOWN = 52
EVENTS_SHOWN = 12
INACTIVE_DAYS = 30
NUDGE_GAP = timedelta(days=14)
NAMES_SHOWN = 100


@dataclass
class Figures:
    members: int = 0
    invitations: dict[str, int] = field(default_factory=dict)
    active_week: int = 0
    active_month: int = 0
    weeks: list[dict] = field(default_factory=list)
    events: list[EventTally] = field(default_factory=list)
    rsvp_going: int = 0
    rsvp_attended: int = 0
    by_agency: list[tuple[str, int]] = field(default_factory=list)
    by_type: list[tuple[str, int]] = field(default_factory=list)
    ties: int = 0
    agency_links: list[tuple[str, int]] = field(default_factory=list)
    agency_pairs: list[tuple[str, int]] = field(default_factory=list)
    untied_count: int = 0
    untied_ids: list[int] = field(default_factory=list)
    untied: list[Member] = field(default_factory=list)
    inactive: list[dict] = field(default_factory=list)


def today() -> date:
    return timezone.now().date()


def scope_of(cohort_ids: QuerySet | list[int]) -> QuerySet:
    """Current members (active accounts) of the cohorts, as a subquery of member ids."""
    return (
        CohortMembership.objects.filter(cohort__in=cohort_ids)
        .exclude(member__user__is_active=False)
        .values("member_id")
    )


# What a snapshot holds: the figures that read the whole membership against the largest
# summary tables (active days, ties). network.summaries.refresh_snapshots stores them for every
# cohort and program every few minutes, so that a console page reads one row for them.
SNAPSHOT_FIELDS = ("members", "active_week", "active_month", "by_agency", "by_type", "ties",
                   "agency_links", "agency_pairs", "untied_count", "untied_ids")  # fmt: skip


def snapshot(cohort_ids: QuerySet | list[int]) -> dict:
    """The snapshot figures of the cohorts' current members, computed now."""
    scope = scope_of(cohort_ids)
    result = Figures()
    result.members = Member.objects.filter(pk__in=scope).count()
    result.active_week = active_since(scope, today() - timedelta(days=6))
    result.active_month = active_since(scope, today() - timedelta(days=INACTIVE_DAYS - 1))
    result.by_agency, result.by_type = composition(scope)
    add_ties(result, scope)
    return {name: getattr(result, name) for name in SNAPSHOT_FIELDS}


def figures(
    cohort_ids: QuerySet | list[int], *, names: bool, stored: dict | None = None
) -> Figures:
    """Everything the console shows: the stored snapshot (computed now when there is none
    yet) and the cheap figures read at once. ``names``: name the members without a tie."""
    scope = scope_of(cohort_ids)
    result = Figures(**(snapshot(cohort_ids) if stored is None else stored))
    result.invitations = invitation_counts(cohort_ids)
    result.weeks = weekly(cohort_ids)
    result.events, result.rsvp_going, result.rsvp_attended = attendance(cohort_ids)
    if names and result.untied_ids:
        untied = Member.objects.filter(pk__in=result.untied_ids).filter(pk__in=scope)
        result.untied = list(untied.select_related("agency").order_by("name"))
    return result


def invitation_counts(cohort_ids) -> dict[str, int]:
    now = timezone.now()
    open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return Invitation.objects.filter(cohort__in=cohort_ids).aggregate(
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        pending=Count("pk", filter=open_ & Q(expires_at__gt=now)),
        expired=Count("pk", filter=open_ & Q(expires_at__lte=now)),
        revoked=Count("pk", filter=Q(accepted_at__isnull=True, revoked_at__isnull=False)),
    )


def active_since(scope, first_day: date) -> int:
    days = MemberDay.objects.filter(member__in=scope, day__gte=first_day)
    return days.values("member").distinct().count()


def weekly(cohort_ids) -> list[dict]:
    """Posts (of which off the record) and chat messages per week, oldest first."""
    first = today() - timedelta(weeks=WEEKS_SHOWN - 1)
    first -= timedelta(days=first.weekday())
    rows = (
        CohortWeek.objects.filter(cohort__in=cohort_ids, week__gte=first)
        .values("week")
        .annotate(posts=Sum("posts"), off_record=Sum("off_record_posts"), messages=Sum("messages"))
        .order_by("week")
    )
    return [dict(row) for row in rows]


def attendance(cohort_ids) -> tuple[list[EventTally], int, int]:
    """The latest past events (oldest first) and the going/attended totals of all past ones."""
    past = EventTally.objects.filter(
        cohort__in=cohort_ids, starts_at__lt=timezone.now(), cancelled=False
    )
    totals = past.aggregate(going=Sum("going"), attended=Sum("attended"))
    latest = list(past.order_by("-starts_at")[:EVENTS_SHOWN])[::-1]
    return latest, totals["going"] or 0, totals["attended"] or 0


def composition(scope) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    members = Member.objects.filter(pk__in=scope)
    agencies = members.values("agency__acronym", "organisation").annotate(n=Count("pk"))
    by_agency: Counter[str] = Counter()
    for row in agencies:
        by_agency[row["agency__acronym"] or row["organisation"] or "Not given"] += row["n"]
    types = dict(MemberType.choices)
    by_type = members.values("member_type").annotate(n=Count("pk")).order_by("-n")
    return (
        by_agency.most_common(10),
        [(types.get(row["member_type"], row["member_type"]), row["n"]) for row in by_type],
    )


def cross_agency_ties(scope) -> QuerySet[Tie]:
    """Ties between two members of the scope at different (known) agencies."""
    return (
        Tie.objects.filter(low__in=scope, high__in=scope)
        .filter(low__agency__isnull=False, high__agency__isnull=False)
        .exclude(low__agency=F("high__agency"))
    )


def add_ties(result: Figures, scope) -> None:
    ties = cross_agency_ties(scope)
    pairs = ties.values("low__agency__acronym", "high__agency__acronym").annotate(n=Count("pk"))
    by_pair: Counter[str] = Counter()
    by_agency: Counter[str] = Counter()
    for row in pairs:
        a, b = sorted((row["low__agency__acronym"], row["high__agency__acronym"]))
        by_pair[f"{a} \u2013 {b}"] += row["n"]
        by_agency[a] += row["n"]
        by_agency[b] += row["n"]
    result.ties = sum(by_pair.values())
    result.agency_pairs = by_pair.most_common(8)
    result.agency_links = by_agency.most_common(8)
    untied = (
        Member.objects.filter(pk__in=scope)
        .exclude(pk__in=ties.values("low"))
        .exclude(pk__in=ties.values("high"))
    )
    result.untied_count = untied.count()
    if result.untied_count:
        result.untied_ids = list(untied.order_by("name").values_list("pk", flat=True)[:NAMES_SHOWN])


def inactive_members(cohort_ids, *, days: int = INACTIVE_DAYS) -> list[dict]:
    """Members with no sign-in, post, chat message or RSVP in ``days`` days, with the day they
    were last active and whether a nudge may go to them now (not nudged within 14 days)."""
    scope = scope_of(cohort_ids)
    since = today() - timedelta(days=days - 1)
    last_day = MemberDay.objects.filter(member=OuterRef("pk")).order_by("-day").values("day")
    # NOT EXISTS per member walks the (member, day) index: a few rows for each of the cohort's
    # members, where "every member active since" would read a month of the whole network.
    recent = MemberDay.objects.filter(member=OuterRef("pk"), day__gte=since)
    quiet = (
        Member.objects.filter(pk__in=scope)
        .filter(~Exists(recent))
        .annotate(last_day=Subquery(last_day[:1]))
        .order_by("name")
    )
    nudged = set(
        Nudge.objects.filter(
            member__in=scope, created_at__gte=timezone.now() - NUDGE_GAP
        ).values_list("member_id", flat=True)
    )
    return [
        {"member": m, "last_day": m.last_day, "nudgeable": m.pk not in nudged}
        for m in quiet[:NAMES_SHOWN]
    ]


def charts(data: Figures) -> list[Chart]:
    """The console's charts, each with its text alternative."""
    weeks = [(f"{row['week']:%b %-d}", [row["posts"], row["messages"]]) for row in data.weeks]
    busiest = max(data.weeks, key=lambda r: r["posts"] + r["messages"], default=None)
    events = [(e.title[:24], [e.going, e.attended]) for e in data.events]
    return [
        charts_.columns(
            "activity", "Activity per week", _activity_summary(data, busiest),
            ["Posts", "Chat messages"], weeks, "Week of",
        ),
        charts_.columns(
            "attendance", "RSVPs and attendance per event",
            f"{len(events)} recent events: {data.rsvp_going} said they were going to past events "
            f"and {data.rsvp_attended} attended.",
            ["Going", "Attended"], events, "Event",
        ),
        charts_.bars(
            "agencies", "Members by agency", _top_summary("members", data.by_agency),
            ["Members"], [(name, [n]) for name, n in data.by_agency], "Agency",
        ),
        charts_.bars(
            "types", "Members by type", _top_summary("members", data.by_type),
            ["Members"], [(name, [n]) for name, n in data.by_type], "Member type",
        ),
        charts_.bars(
            "ties", "Ties between agencies", _top_summary("ties", data.agency_pairs),
            ["Ties"], [(name, [n]) for name, n in data.agency_pairs], "Agencies",
        ),
    ]  # fmt: skip


def _activity_summary(data: Figures, busiest: dict | None) -> str:
    posts = sum(r["posts"] for r in data.weeks)
    messages = sum(r["messages"] for r in data.weeks)
    text = f"{posts} posts and {messages} chat messages over {len(data.weeks)} weeks with activity."
    if busiest:
        total = busiest["posts"] + busiest["messages"]
        text += f" The busiest was the week of {busiest['week']:%B %-d, %Y}, with {total}."
    return text


def _top_summary(what: str, rows: list[tuple[str, int]]) -> str:
    if not rows:
        return f"No {what} yet."
    shown = ", ".join(f"{name} {n}" for name, n in rows[:3])
    return f"{sum(n for _, n in rows)} {what} in the {len(rows)} largest groups; most: {shown}."


ENGAGEMENT_HEADER = ["name", "email", "agency or organisation", "member type", "role", "joined",
                     "active days (last 30)", "last active", "cross-agency ties",
                     "last nudged"]  # fmt: skip


def engagement_rows(cohort_id: int) -> list[list[object]]:
    """The console's figures per current member of the cohort, for the engagement export."""
    scope = scope_of([cohort_id])
    since = today() - timedelta(days=INACTIVE_DAYS - 1)
    days = dict(
        MemberDay.objects.filter(member__in=scope, day__gte=since)
        .values("member")
        .annotate(n=Count("pk"))
        .values_list("member", "n")
    )
    last = dict(
        MemberDay.objects.filter(member__in=scope)
        .values("member")
        .annotate(last=Max("day"))
        .values_list("member", "last")
    )
    ties: Counter[int] = Counter()
    for low, high in cross_agency_ties(scope).values_list("low", "high"):
        ties[low] += 1
        ties[high] += 1
    nudged = dict(
        Nudge.objects.filter(member__in=scope, cohort_id=cohort_id)
        .values("member")
        .annotate(last=Max("created_at"))
        .values_list("member", "last")
    )
    memberships = (
        CohortMembership.objects.filter(cohort_id=cohort_id, member__in=scope)
        .select_related("member__user", "member__agency")
        .order_by("member__name")
    )
    rows: list[list[object]] = [list(ENGAGEMENT_HEADER)]
    for ms in memberships:
        m = ms.member
        last_nudge = nudged[m.pk].date().isoformat() if m.pk in nudged else ""
        rows.append([
            m.name, m.user.email, m.organisation_name, m.get_member_type_display(),
            ms.get_role_display(), ms.joined_at.date().isoformat(), days.get(m.pk, 0),
            last.get(m.pk, ""), ties[m.pk], last_nudge,
        ])  # fmt: skip
    return rows
