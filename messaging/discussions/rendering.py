"""Post bodies: @mentions resolved against the thread's audience, then the project's one
markdown renderer and sanitiser (network.markdown)."""

from __future__ import annotations

import html
import re

from django.urls import reverse
from django.utils.html import strip_tags

from messaging.discussions.access import board_audience
from messaging.discussions.models import Board
from network.markdown import render

# What the composer's autocomplete inserts: @[Display Name](member id).
MENTION = re.compile(r"@\[([^\]\n]{1,150})\]\((\d{1,12})\)")
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def mentioned_ids(source: str) -> set[int]:
    return {int(match.group(2)) for match in MENTION.finditer(source or "")}


def render_body(source: str, *, board: Board) -> tuple[str, set[int]]:
    """Sanitised HTML for the source, and the ids of mentioned members who can see the board.

    A mention of someone in the board's audience is a link to their profile (unlinked for
    readers who may not see that profile: people.annotate_people); a mention of someone
    outside it renders as plain text and is not returned, so nobody is told about a thread
    they cannot open.
    """
    wanted = mentioned_ids(source)
    audience = (
        dict(board_audience(board).filter(pk__in=wanted).values_list("pk", "name"))
        if wanted
        else {}
    )

    def replace(match: re.Match) -> str:
        member_id = int(match.group(2))
        name = _MARKDOWN_SPECIALS.sub(r"\\\1", audience.get(member_id, match.group(1)))
        if member_id not in audience:
            return f"@{name}"
        return f"**[@{name}]({reverse('network:member', args=[member_id])})**"

    return render(MENTION.sub(replace, source or "")), set(audience)


def plain_text(body_html: str) -> str:
    """The text of stored HTML, for search and e-mail excerpts."""
    return " ".join(html.unescape(strip_tags(body_html)).split())


def quote(source: str, author_name: str) -> str:
    """Markdown that quotes a post, for the reply composer."""
    lines = (MENTION.sub(r"@\1", source or "")).strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" for line in lines)
    return f"> **{author_name}** wrote:\n>\n{quoted}\n\n"
