"""The member's RSVPs, for their own-data download (network/own_data.py reads this through
settings.CONVENE_OWN_DATA_SECTIONS)."""

from __future__ import annotations

from typing import Any

from events.models import RSVP
from network.models import Member


def rsvps(member: Member) -> tuple[str, list[dict[str, Any]]]:
    answers = RSVP.objects.filter(member=member).select_related("event").order_by("pk")
    return "rsvps", [
        {
            "event": rsvp.event.title,
            "starts_at": rsvp.event.starts_at,
            "status": rsvp.status,
            "responded_at": rsvp.responded_at,
            "attended": rsvp.attended,
        }
        for rsvp in answers
    ]
