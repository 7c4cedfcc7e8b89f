"""Template helpers for the thread page, where each tag is rendered for every post shown.

Written in Python rather than as template markup: a page of 50 posts renders 200 reaction
buttons and 100 dates, and through the template engine those were half the page's time
(docs/benchmarks.md). Every value is escaped with ``escape``; the markup is fixed.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def timestamp(moment: datetime, link: str = "", shown: str = "M j, Y, g:i a") -> SafeString:
    """``<time>`` with the machine-readable instant and "Nov 29, 2026, 9:05 a.m." (or the
    ``shown`` date format) in the current time zone, optionally inside a link."""
    local = timezone.localtime(moment)
    html = f'<time datetime="{local.isoformat()}">{escape(dateformat.format(local, shown))}</time>'
    if link:
        html = f'<a class="usa-link" href="{escape(link)}">{html}</a>'
    return mark_safe(html)  # noqa: S308 -- every value above is escaped or a formatted date


def _button(group: dict) -> str:
    mine = group["mine"]
    count = group["count"]
    reactors = f' <span class="convene-reactors">{escape(group["names"])}</span>' if count else ""
    return (
        f'<li class="usa-button-group__item"><button type="submit" name="kind" '
        f'value="{escape(group["kind"])}" class="usa-button usa-button--'
        f'{"base" if mine else "outline"} usa-button--small" '
        f'aria-pressed="{"true" if mine else "false"}"><span aria-hidden="true">'
        f"{escape(group['emoji'])}</span> {escape(group['name'])}"
        f"{f' {count}' if count else ''}</button>{reactors}</li>"
    )


@register.simple_tag(takes_context=True)
def reaction_form(context, post) -> SafeString:
    """The reaction buttons of a post, as one form."""
    buttons = "\n".join(_button(group) for group in post.reaction_groups)
    return mark_safe(  # noqa: S308 -- every value in the markup is escaped
        f'<form method="post" action="{escape(reverse("discussions:react", args=[post.pk]))}" '
        f'class="convene-reactions"><input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(context.get("csrf_token", ""))}"><ul class="usa-button-group" '
        f'aria-label="Reactions to post {post.number}">{buttons}</ul></form>'
    )


def _csrf_input(context) -> str:
    return (
        '<input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{escape(str(context.get("csrf_token", "")))}">'
    )


def _unstyled_button(label: str) -> str:
    return f'<button type="submit" class="usa-button usa-button--unstyled">{label}</button>'


DELETED = '<p class="convene-tombstone"><em>This post was deleted by its author.</em></p>'
HIDDEN = '<p class="convene-tombstone"><em>This post was hidden by a moderator.</em></p>'
HIDDEN_NOTE = '<p class="usa-hint"><strong>Hidden from members by a moderator.</strong></p>'


def _post_form(context, name: str, post, inner: str) -> str:
    action = reverse(f"discussions:{name}", args=[post.pk])
    return f'<form method="post" action="{action}">{_csrf_input(context)}{inner}</form>'


def _link(href: str, text: str) -> str:
    return f'<a class="usa-link" href="{escape(href)}">{text}</a>'


@register.simple_tag(takes_context=True)
def post_item(context, post) -> SafeString:
    """One post of a thread page as a list item: who wrote it and when, the body (stored
    sanitised), its reactions and the actions open to the viewer (``me``, ``moderator`` and
    ``thread`` from the context). Python rather than a template included 50 times a page:
    the include resolved ~80 variables per post and was most of the page's time."""
    me, moderator, thread = context.get("me"), context.get("moderator"), context["thread"]
    n, deleted, hidden = post.number, post.deleted_at is not None, post.hidden_at is not None
    mine = me is not None and post.author_id == me.pk
    if deleted:
        by = "Deleted post"
    else:
        by = escape(post.author.name) if post.author_id and post.author.name else "A former member"
    meta = []
    if not deleted and post.author_id and post.author.agency_id:
        meta.append(f"{escape(post.author.agency.acronym)} · ")
    meta.append(timestamp(post.created_at, post.anchor))
    if post.edited_at and not deleted:
        meta.append(' · <span class="convene-edited">edited</span>')
        if moderator:
            history = _link(reverse("discussions:post_history", args=[post.pk]), "earlier versions")
            meta.append(f" ({history})")
    if post.quote_of_id and not deleted:
        quoted = _link(
            reverse("discussions:post", args=[post.quote_of_id]), f"post {post.quote_of.number}"
        )
        meta.append(f" · in reply to {quoted}")
    parts = [
        f'<li class="convene-post" id="post-{n}"><article aria-labelledby="post-{n}-by">',
        '<header class="convene-post__header">',
        f'<h2 class="convene-post__by" id="post-{n}-by">{by} '
        f'<span class="usa-sr-only">, post {n}</span></h2>',
        f'<p class="convene-post__meta">{"".join(meta)}</p></header>',
    ]
    if deleted:
        parts.append(DELETED)
    elif hidden and not moderator:
        parts.append(HIDDEN)
    else:
        if hidden:
            parts.append(HIDDEN_NOTE)
        # body_html was sanitised when the post was saved (messaging.discussions.rendering).
        parts.append(f'<div class="convene-post__body">{post.body_html}</div>')
        if post.reaction_groups:
            parts.append(reaction_form(context, post))
        actions = []
        if not thread.locked:
            actions.append(_link(f"?quote={post.pk}#reply", "Quote"))
        if mine and not thread.locked:
            actions.append(_link(reverse("discussions:post_edit", args=[post.pk]), "Edit"))
            actions.append(_post_form(context, "post_delete", post, _unstyled_button("Delete")))
        if me is not None and not mine:
            actions.append(_link(reverse("discussions:report", args=[post.pk]), "Report"))
        items = "".join(f"<li>{action}</li>" for action in actions)
        parts.append(f'<ul class="convene-post__actions">{items}</ul>')
    if moderator and not deleted:
        if hidden:
            toggle = _unstyled_button("Show to members again")
        else:
            hide = '<input type="hidden" name="hidden" value="on">'
            toggle = hide + _unstyled_button("Hide post")
        parts.append(_post_form(context, "post_hide", post, toggle))
    parts.append("</article></li>")
    return mark_safe("".join(parts))  # noqa: S308 -- values escaped, body sanitised on save


@register.simple_tag(takes_context=True)
def search_hit(context, hit) -> SafeString:
    """One search result: the thread and reply it is in, board, author (absent when hidden
    from this searcher) and date, and the highlighted snippet (never for off the record)."""
    post = hit.post
    reply = f" · reply {post.number - 1}" if post.number > 1 else ""
    byline = [escape(post.thread.board.name)]
    if hit.author is not None:
        query = urlencode({"q": context.get("q", ""), "author": hit.author.pk})
        byline.append(_link(f"?{query}", escape(hit.author.name)))
    byline.append(timestamp(post.created_at, shown="M j, Y"))
    snippet = hit.snippet or "<em>Off the record: open the thread to read it.</em>"
    return mark_safe(  # noqa: S308 -- values escaped; the snippet is escaped by search._mark
        '<li class="convene-panel"><h3>'
        f"{_link(reverse('discussions:post', args=[post.pk]), escape(post.thread.title))}"
        f'{reply}</h3><p class="usa-hint">{" · ".join(byline)}</p><p>{snippet}</p></li>'
    )
