"""The member's discussion posts and chat messages, for their own-data download
(network/own_data.py reads these through settings.CONVENE_OWN_DATA_SECTIONS)."""

from __future__ import annotations

from typing import Any

from messaging.discussions.emails import preferences_of
from messaging.discussions.models import Post, Reaction
from messaging.models import Message
from network.models import Member


def discussion_posts(member: Member) -> tuple[str, list[dict[str, Any]]]:
    posts = Post.objects.filter(author=member).select_related("thread__board").order_by("pk")
    return "discussion_posts", [
        {
            "board": post.thread.board.name,
            "thread": post.thread.title,
            "number": post.number,
            "body": post.body,
            "created_at": post.created_at,
            "edited_at": post.edited_at,
            "deleted_at": post.deleted_at,
        }
        for post in posts
    ]


def chat_messages(member: Member) -> tuple[str, list[dict[str, Any]]]:
    messages = Message.objects.filter(sender=member).select_related("room").order_by("pk")
    return "chat_messages", [
        {
            "room": message.room.name or message.room.get_kind_display(),
            "number": message.seq,
            "body": message.body,
            "created_at": message.created_at,
            "edited_at": message.edited_at,
            "deleted_at": message.deleted_at,
        }
        for message in messages
    ]


def reactions(member: Member) -> tuple[str, list[dict[str, Any]]]:
    rows = Reaction.objects.filter(member=member).select_related("post__thread").order_by("pk")
    return "reactions", [
        {
            "thread": reaction.post.thread.title,
            "post_number": reaction.post.number,
            "reaction": reaction.get_kind_display(),
            "created_at": reaction.created_at,
        }
        for reaction in rows
    ]


def notification_settings(member: Member) -> tuple[str, dict[str, Any]]:
    prefs = preferences_of(member)
    return "notification_settings", {
        "replies_mentions_and_messages": prefs.get_frequency_display(),
        "event_invitations_and_changes": prefs.events,
        "reminders": prefs.reminders,
        "announcements": prefs.announcements,
        "nudges": prefs.nudges,
        "last_digest_at": prefs.last_digest_at,
    }
