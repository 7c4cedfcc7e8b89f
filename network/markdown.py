"""The one markdown renderer and HTML sanitiser every app uses for text people write."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

# CommonMark without raw HTML; nh3 then keeps only the tags below, so even a renderer bug
# cannot let a script or an event handler through.
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}


def sanitise(html: str) -> str:
    """HTML with only safe tags and attributes; links get rel="nofollow noopener"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def render(source: str) -> str:
    """Markdown source to sanitised HTML, safe to mark safe in a template."""
    return sanitise(_renderer.render(source or ""))
