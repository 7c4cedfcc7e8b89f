"""Everything Convene holds about a member, for their own download.

Other apps add their part (posts, messages, RSVPs) by listing a function in OWN_DATA_SECTIONS,
so this module never imports them: settings.CONVENE_OWN_DATA_SECTIONS is read if present.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils.module_loading import import_string

from network.models import AuditEntry, Invitation, Member


def _profile(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "headline": member.headline,
        "member_type": member.member_type,
        "agency": member.agency.name if member.agency_id else None,
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
                "agency": p.agency.name if p.agency_id else None,
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
