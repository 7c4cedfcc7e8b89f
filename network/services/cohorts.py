"""Managers' writes to cohorts: creating and editing them, memberships and roles."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.module_loading import import_string
from django.utils.text import slugify

from network import audit
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
    CohortMembership.objects.create(cohort=cohort, member=created_by, role=Role.MANAGER)
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


@transaction.atomic
def add_member(
    *,
    cohort: Cohort,
    member: Member,
    actor,
    role: str = Role.MEMBER,
    request: HttpRequest | None = None,
) -> CohortMembership:
    """Add an existing member; adding someone already there changes nothing."""
    membership, created = CohortMembership.objects.get_or_create(
        cohort=cohort, member=member, defaults={"role": role}
    )
    if created:
        audit.record(
            "membership_added", actor=actor, request=request, target=cohort,
            member=member.pk, role=role,
        )  # fmt: skip
    return membership


@transaction.atomic
def remove_member(
    *, membership: CohortMembership, actor, request: HttpRequest | None = None
) -> None:
    """Take a member out of the cohort; their profile and what they wrote are untouched."""
    audit.record(
        "membership_removed", actor=actor, request=request, target=membership.cohort,
        member=membership.member_id, role=membership.role,
    )  # fmt: skip
    membership.delete()
    for hook in getattr(settings, "CONVENE_LEFT_COHORT_HOOKS", []):
        import_string(hook)(membership.member, membership.cohort)  # e.g. the cohort's event seats


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
