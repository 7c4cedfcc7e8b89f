"""The member's discussion posts and chat messages, for their own-data download
(network/own_data.py reads these through settings.CONVENE_OWN_DATA_SECTIONS)."""

from __future__ import annotations

from typing import Any

from messaging.discussions.models import Post
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
