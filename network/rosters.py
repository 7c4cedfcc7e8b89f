"""Cohort rosters as members see them and as managers export them."""

from __future__ import annotations

from django.db.models import QuerySet

from network import access
from network.models import Cohort, CohortMembership

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_HEADER = ["name", "email", "phone", "role", "member type", "agency or organisation",
                 "headline", "time zone", "joined"]  # fmt: skip


def visible_roster(user, cohort: Cohort) -> QuerySet[CohortMembership]:
    """The cohort's memberships whose member's profile the user may see."""
    return (
        cohort.memberships.filter(member__in=access.visible_members(user))
        .select_related("member__agency")
        .order_by("-role", "member__name")
    )


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_rows(user, cohort: Cohort) -> list[list[str]]:
    """Header plus one row per visible member, contact fields only where their owner allows."""
    rows = [EXPORT_HEADER]
    for membership in visible_roster(user, cohort).select_related("member__user"):
        member = membership.member
        # Managers of the cohort see every field (FieldVisibility.MANAGERS and wider).
        rows.append(
            [
                csv_safe(v)
                for v in (
                    member.name, member.user.email, member.phone, membership.role,
                    member.get_member_type_display(), member.organisation_name, member.headline,
                    member.time_zone, membership.joined_at.date().isoformat(),
                )
            ]
        )  # fmt: skip
    return rows
