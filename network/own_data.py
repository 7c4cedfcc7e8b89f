"""Everything Convene holds about a member, for their own download.

Other apps add their part (posts, reactions, messages, RSVPs, poll answers, e-mail settings,
calendar feeds) by listing a function in OWN_DATA_SECTIONS, so this module never imports them:
settings.CONVENE_OWN_DATA_SECTIONS is read if present.

``archive`` packs it in one zip: ``my-data.json`` (every field, for programs),
``my-data.html`` (the same as tables, for people) and the profile picture when there is one.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from network.models import AuditEntry, Invitation, Member


def _profile(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "headline": member.headline,
        "member_type": member.member_type,
        "agency": member.agency.name if member.agency else None,
        "organisation": member.organisation,
        "bio": member.bio,
        "time_zone": member.time_zone,
        "visibility": member.visibility,
        "phone": member.phone,
        "email_visibility": member.email_visibility,
        "phone_visibility": member.phone_visibility,
        "contact_method": member.contact_method,
        "contact_note": member.contact_note,
        "expertise": [tag.name for tag in member.expertise.all()],
        "challenges": [tag.name for tag in member.challenges.all()],
        "left_government_on": member.left_government_on,
        "has_picture": bool(member.avatar),
    }


def collect(member: Member) -> dict[str, Any]:
    """A JSON-ready dict of the member's profile, history, memberships and account."""
    user = member.user
    data: dict[str, Any] = {
        "account": {
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "profile": _profile(member),
        "positions": [
            {
                "title": p.title,
                "agency": p.agency.name if p.agency else None,
                "organisation": p.organisation,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
            }
            for p in member.positions.select_related("agency")
        ],
        "cohorts": [
            {
                "cohort": m.cohort.name,
                "program": m.cohort.program.name,
                "role": m.role,
                "joined_at": m.joined_at,
            }
            for m in member.memberships.select_related("cohort__program")
        ],
        "invitations_received": [
            {"cohort": i.cohort.name, "status": i.status, "created_at": i.created_at}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("cohort")
        ],
        "activity_log": [
            {"at": e.at, "action": e.action, "ip_address": e.ip_address}
            for e in AuditEntry.objects.filter(actor=user)[:1000]
        ],
    }
    for path in getattr(settings, "CONVENE_OWN_DATA_SECTIONS", []):
        section: Callable[[Member], tuple[str, Any]] = import_string(path)
        key, value = section(member)
        data[key] = value
    return data


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def _title(key: str) -> str:
    return key.replace("_", " ").capitalize()


def readable_sections(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each part of the data as a table: a list of records gets a column per field, a single
    record two columns (what, value)."""
    sections = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows = [[_title(k), _cell(v)] for k, v in value.items()]
            sections.append({"title": _title(key), "columns": ["What", "Value"], "rows": rows})
        elif isinstance(value, list):
            columns = list(value[0]) if value and isinstance(value[0], dict) else []
            rows = [[_cell(item.get(c)) for c in columns] for item in value]
            sections.append(
                {"title": _title(key), "columns": [_title(c) for c in columns], "rows": rows}
            )
    return sections


def archive(member: Member) -> bytes:
    """The member's data as a zip: JSON, a readable HTML page, and their picture."""
    data = collect(member)
    picture = ""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        if member.avatar:
            picture = "picture" + PurePath(member.avatar.name or "").suffix.lower()
            with member.avatar.open("rb") as image:
                bundle.writestr(picture, image.read())
        data["profile"]["picture_file"] = picture or None
        bundle.writestr("my-data.json", json.dumps(data, indent=2, default=str))
        page = render_to_string(
            "network/own_data.html",
            {
                "member": member,
                "sections": readable_sections(data),
                "picture": picture,
                "made_at": timezone.now(),
                "SITE_NAME": settings.SITE_NAME,
            },
        )
        bundle.writestr("my-data.html", page)
    return buffer.getvalue()
