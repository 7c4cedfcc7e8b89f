"""Managers' writes to cohorts: creating and editing them, memberships and roles."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import slugify

from network import audit, directory, signals
from network.models import Cohort, CohortMembership, Member, Program, Role


def _unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "cohort"
    slug, n = base, 2
    while Cohort.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_cohort(
    *,
    program: Program,
    name: str,
    created_by: Member,
    description: str = "",
    starts_on=None,
    ends_on=None,
    request: HttpRequest | None = None,
) -> Cohort:
    """Make the cohort with a unique slug; its creator becomes its first manager."""
    cohort = Cohort.objects.create(
        program=program, name=name, slug=_unique_slug(name), description=description,
        starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    membership = CohortMembership.objects.create(
        cohort=cohort, member=created_by, role=Role.MANAGER
    )
    signals.cohort_created.send(sender=Cohort, cohort=cohort)
    signals.membership_started.send(sender=CohortMembership, membership=membership)
    audit.record("cohort_created", actor=created_by.user, request=request, target=cohort)
    return cohort


@transaction.atomic
def update_cohort(
    *, cohort: Cohort, fields: dict, actor, request: HttpRequest | None = None
) -> Cohort:
    """Change name, program, dates or description; the slug (and so every link) stays."""
    for name in ("program", "name", "description", "starts_on", "ends_on"):
        if name in fields:
            setattr(cohort, name, fields[name])
    cohort.save()
    audit.record("cohort_updated", actor=actor, request=request, target=cohort)
    return cohort


def remove_member(
    *, membership: CohortMembership, actor, request: HttpRequest | None = None
) -> None:
    """Take a member out of the cohort; their profile and what they wrote are untouched."""
    remove_members(
        memberships=CohortMembership.objects.filter(pk=membership.pk),
        actor=actor,
        request=request,
    )


@transaction.atomic
def remove_members(
    *, memberships: QuerySet[CohortMembership], actor, request: HttpRequest | None = None
) -> int:
    """Take members out of their cohort, each audited; profiles and what they wrote are
    untouched. The audit entries and the removal are one query each; each member still leaves
    the cohort's rooms and gives up their seats (messaging and events do that member by member:
    the waitlist moves in, in order). Returns how many were removed."""
    chosen = list(memberships.select_related("cohort", "member").order_by("pk"))
    if not chosen:
        return 0
    audit.record_each(
        "membership_removed", actor=actor, request=request,
        entries=[(m.cohort, {"member": m.member_id, "role": m.role}) for m in chosen],
    )  # fmt: skip
    for membership in chosen:
        signals.membership_ended.send(sender=CohortMembership, membership=membership)
    CohortMembership.objects.filter(pk__in=[m.pk for m in chosen]).delete()
    directory.members_changed(member_ids=[m.member_id for m in chosen])
    return len(chosen)


@transaction.atomic
def set_role(
    *, membership: CohortMembership, role: str, actor, request: HttpRequest | None = None
) -> CohortMembership:
    """Promote to manager or back to member, audited when it changes."""
    if membership.role != role:
        audit.record(
            "membership_role_changed", actor=actor, request=request, target=membership.cohort,
            member=membership.member_id, old=membership.role, new=role,
        )  # fmt: skip
        membership.role = role
        membership.save(update_fields=["role"])
    return membership
