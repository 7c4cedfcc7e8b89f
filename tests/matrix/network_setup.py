"""Objects some network rows of the matrix need, made inside the test's own world."""

from __future__ import annotations

from django.core.files.base import ContentFile
from PIL import Image

from network.models import (
    CohortMembership,
    Invitation,
    Member,
    Position,
    RosterImport,
    Visibility,
)

ROUTES: list = []  # not a module of rows; all_routes() imports every module in the package


def hidden_member(world) -> Member:
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.HIDDEN)
    return world.member


def team_only_member(world) -> Member:
    Member.objects.filter(pk=world.member.pk).update(visibility=Visibility.COHORTS)
    return world.member


def member_with_picture(world) -> Member:
    import io

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(out, format="PNG")
    world.member.avatar.save("matrix.png", ContentFile(out.getvalue()))
    return world.member


def mate_membership(world) -> CohortMembership:
    return CohortMembership.objects.get(cohort=world.cohort, member=world.mate)


def open_invitation(world) -> Invitation:
    return Invitation.objects.create(cohort=world.cohort, email="matrix@example.gov")


def roster_import(world) -> RosterImport:
    return RosterImport.objects.create(
        cohort=world.cohort, created_by=world.manager, content="a@example.gov", total_rows=1
    )


def member_position(world) -> Position:
    return Position.objects.create(member=world.member, title="Deputy CIO")
