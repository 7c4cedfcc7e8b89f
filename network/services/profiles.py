"""Writes to member profiles: editing, tags, avatars, the search index, positions, leaving."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models.expressions import CombinedExpression
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from network import audit, directory, markdown, signals
from network.models import Member, MemberType, Position, Tag

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
AVATAR_SIZE = 256
PROFILE_FIELDS = (
    "name", "headline", "member_type", "agency", "organisation", "bio", "time_zone",
    "visibility", "phone", "email_visibility", "phone_visibility", "contact_method",
    "contact_note",
)  # fmt: skip


def split_tags(text: str) -> list[str]:
    """Comma-separated words to tidy tag names, without repeats (compared case-insensitively)."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())[:60]
        if name and slugify(name) and slugify(name) not in seen:
            seen[slugify(name)] = name
    return list(seen.values())


def tags_named(names: Iterable[str]) -> list[Tag]:
    """The shared vocabulary's tags for these names, adding the ones nobody has used yet."""
    wanted = {slugify(name): name for name in names if slugify(name)}
    found = {tag.slug: tag for tag in Tag.objects.filter(slug__in=wanted)}
    for slug, name in wanted.items():
        if slug not in found:
            found[slug], _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
    return [found[slug] for slug in wanted]


def avatar_thumbnail(upload) -> ContentFile:
    """Re-encode an uploaded picture as a square PNG thumbnail.

    Whatever was uploaded, only pixels survive: metadata, scripts hidden in comments and the
    original container are dropped. Raises ValidationError for large or non-image files.
    """
    if upload.size > AVATAR_MAX_BYTES:
        raise ValidationError("The picture is larger than 5 MB. Choose a smaller one.")
    try:
        with Image.open(upload) as probe:
            if probe.width * probe.height > AVATAR_MAX_PIXELS:
                raise ValidationError("The picture has too many pixels. Choose a smaller one.")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
            square = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError("That file is not a picture we can read (use JPEG or PNG).") from None
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.png")


def _search_text(member: Member) -> str:
    agency = member.agency
    parts = [
        member.name, member.headline, member.organisation, member.bio,
        agency.name if agency else "", agency.acronym if agency else "",
        agency.parent.name if agency and agency.parent else "",
        *(tag.name for tag in member.expertise.all()),
        *(tag.name for tag in member.challenges.all()),
    ]  # fmt: skip
    return " ".join(part for part in parts if part)


def index_members(*, member_ids: Iterable[int]) -> None:
    """Bring the directory's search text (and on PostgreSQL the stored vector) up to date."""
    ids = list(member_ids)
    members = list(
        Member.objects.filter(pk__in=ids)
        .select_related("agency__parent")
        .prefetch_related("expertise", "challenges")
    )
    for member in members:
        member.search_text = _search_text(member)
    Member.objects.bulk_update(members, ["search_text"], batch_size=500)
    if connection.vendor == "postgresql":
        Member.objects.filter(pk__in=ids).update(search_vector=search_vector_expression())
    directory.members_changed(member_ids=ids)


def search_vector_expression() -> CombinedExpression:
    """Names weigh most, then headline and organisation, then everything else."""
    return (
        SearchVector("name", weight="A", config="english")
        + SearchVector("headline", "organisation", weight="B", config="english")
        + SearchVector("search_text", weight="C", config="english")
    )


@transaction.atomic
def update_profile(
    *,
    member: Member,
    fields: dict[str, Any],
    expertise: list[str],
    challenges: list[str],
    avatar: ContentFile | None = None,
    remove_avatar: bool = False,
    request: HttpRequest | None = None,
) -> Member:
    """Save the profile: bio rendered and sanitised, tags from the shared vocabulary, avatar
    re-encoded, search index refreshed in the same transaction. The audit log records which
    fields changed (not their values) and, apart, every change of who may see what."""
    _audit_profile_change(member, fields, request)
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(member, name, fields[name])
    member.bio_html = markdown.render(member.bio)
    if remove_avatar and member.avatar:
        member.avatar.delete(save=False)
    if avatar is not None:  # already re-encoded by avatar_thumbnail, in the form's clean step
        if member.avatar:
            member.avatar.delete(save=False)
        assert avatar.name  # avatar_thumbnail names the picture it makes
        member.avatar.save(avatar.name, avatar, save=False)
    member.save()
    member.expertise.set(tags_named(expertise))
    member.challenges.set(tags_named(challenges))
    index_members(member_ids=[member.pk])
    return member


VISIBILITY_FIELDS = ("visibility", "email_visibility", "phone_visibility")


def _audit_profile_change(member: Member, fields: dict[str, Any], request) -> None:
    # Compared with the stored row: a ModelForm has already copied the new values onto `member`.
    stored = Member.objects.filter(pk=member.pk).values(*PROFILE_FIELDS).get()
    changed = [
        name
        for name in PROFILE_FIELDS
        if name in fields and stored[name] != getattr(fields[name], "pk", fields[name])
    ]
    plain = [name for name in changed if name not in VISIBILITY_FIELDS]
    if plain:
        audit.record(
            "profile_updated", actor=member.user, request=request, target=member,
            fields=", ".join(plain),
        )  # fmt: skip
    for name in changed:
        if name in VISIBILITY_FIELDS:
            audit.record(
                "visibility_changed", actor=member.user, request=request, target=member,
                field=name, old=stored[name], new=fields[name],
            )  # fmt: skip


@transaction.atomic
def add_position(
    *,
    member: Member,
    title: str,
    agency=None,
    organisation: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    succeeds: Position | None = None,
) -> Position:
    """Record a role; a current role (no end date) also becomes the profile's agency."""
    position = Position.objects.create(
        member=member, title=title, agency=agency, organisation=organisation,
        starts_on=starts_on, ends_on=ends_on, succeeds=succeeds,
    )  # fmt: skip
    _follow_current_role(position)
    return position


@transaction.atomic
def update_position(
    *,
    position: Position,
    title: str,
    agency=None,
    organisation: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    succeeds: Position | None = None,
) -> Position:
    """Correct a role in the holder's own history; as when adding, a current role sets the
    profile's agency."""
    position.title, position.agency, position.organisation = title, agency, organisation
    position.starts_on, position.ends_on, position.succeeds = starts_on, ends_on, succeeds
    position.save()
    _follow_current_role(position)
    return position


def _follow_current_role(position: Position) -> None:
    if position.ends_on is None and (position.agency or position.organisation):
        member = position.member
        member.agency = position.agency
        member.organisation = "" if position.agency else position.organisation
        member.save(update_fields=["agency", "organisation"])
        index_members(member_ids=[member.pk])


@transaction.atomic
def link_predecessor(
    *,
    position: Position,
    succeeds: Position | None,
    actor,
    request: HttpRequest | None = None,
) -> Position:
    """Name (or, with None, forget) the role this one took over. When someone other than the
    holder does it, the audit log records who linked which seats."""
    position.succeeds = succeeds
    position.save(update_fields=["succeeds"])
    if actor.pk != position.member.user_id:
        audit.record(
            "seat_linked" if succeeds else "seat_unlinked",
            actor=actor, request=request, target=position,
            holder=position.member_id, predecessor_role=succeeds.pk if succeeds else "",
        )  # fmt: skip
    return position


@transaction.atomic
def leave_government(
    *, member: Member, on: date | None = None, request: HttpRequest | None = None
) -> Member:
    """Turn an appointee or career executive into an alumnus.

    Open positions are closed on the given day and kept as history; cohorts, memberships and
    conversations are untouched. Other member types are left as they are.
    """
    on = on or timezone.localdate()
    member.positions.filter(ends_on__isnull=True).update(ends_on=on)
    if member.member_type in (MemberType.APPOINTEE, MemberType.CAREER):
        member.member_type = MemberType.ALUMNUS
    member.left_government_on = on
    member.save(update_fields=["member_type", "left_government_on"])
    index_members(member_ids=[member.pk])
    audit.record("left_government", actor=member.user, request=request, target=member)
    return member


def _end_sessions(user) -> None:
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()


@transaction.atomic
def deactivate_account(*, member: Member, request: HttpRequest | None = None) -> None:
    """Close the account: the profile leaves the directory, every session ends, and what the
    member wrote stays, shown as written by a former member. Only an administrator can undo it."""
    user = member.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    member.deactivated_at = timezone.now()
    member.save(update_fields=["deactivated_at"])
    directory.members_changed(member_ids=[member.pk])
    audit.record("account_deactivated", actor=user, request=request, target=member)
    signals.account_closed.send(sender=Member, member=member)  # e.g. event seats are freed
    transaction.on_commit(lambda: _end_sessions(user))
