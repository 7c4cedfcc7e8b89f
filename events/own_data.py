"""The member's RSVPs, poll answers and calendar feeds, for their own-data download
(network/own_data.py reads these through settings.CONVENE_OWN_DATA_SECTIONS)."""

from __future__ import annotations

from typing import Any

from events.models import RSVP, CalendarFeed, PollVote
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


def poll_votes(member: Member) -> tuple[str, list[dict[str, Any]]]:
    votes = PollVote.objects.filter(member=member).select_related("slot__poll").order_by("pk")
    return "poll_votes", [
        {
            "poll": vote.slot.poll.title,
            "time_slot_starts_at": vote.slot.starts_at,
            "answer": vote.get_answer_display(),
            "answered_at": vote.answered_at,
        }
        for vote in votes
    ]


def calendar_feed(member: Member) -> tuple[str, list[dict[str, Any]]]:
    """Which private feed addresses the member made and revoked (not the secret itself: a
    download can be forwarded, and the feed page shows the address)."""
    feeds = CalendarFeed.objects.filter(member=member).order_by("pk")
    return "calendar_feeds", [
        {
            "active": feed.revoked_at is None,
            "created_at": feed.created_at,
            "revoked_at": feed.revoked_at,
        }
        for feed in feeds
    ]
