"""Template helpers for the thread page, where one tag is rendered for every post shown."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def reaction_form(context, post) -> SafeString:
    """The reaction buttons of a post, as one form.

    Written in Python rather than as a template loop: a page of 50 posts renders 200 of these
    buttons, and the loop cost a third of the thread page's time (docs/benchmarks.md).
    """
    buttons = format_html_join(
        "\n",
        '<li class="usa-button-group__item"><button type="submit" name="kind" value="{}" '
        'class="usa-button usa-button--{} usa-button--small" aria-pressed="{}">'
        '<span aria-hidden="true">{}</span> {}{}</button>{}</li>',
        (
            (
                group["kind"],
                "base" if group["mine"] else "outline",
                "true" if group["mine"] else "false",
                group["emoji"],
                group["name"],
                f" {group['count']}" if group["count"] else "",
                format_html(' <span class="convene-reactors">{}</span>', group["names"])
                if group["count"]
                else "",
            )
            for group in post.reaction_groups
        ),
    )
    return format_html(
        '<form method="post" action="{}" class="convene-reactions">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<ul class="usa-button-group" aria-label="Reactions to post {}">{}</ul></form>',
        reverse("discussions:react", args=[post.pk]),
        context.get("csrf_token", ""),
        post.number,
        buttons,
    )
