"""The directory's fragments drawn hundreds of times a page, rendered by Django's Jinja2 backend
(STYLE.md rule 10): 25 result cards through the Django engine took ~1 ms each, as much as the
page's queries (docs/benchmarks.md). Both templates escape every value."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import reverse
from markupsafe import Markup

register = template.Library()


def _render(name: str, context: dict) -> Markup:
    # The backend returns a plain str of what an autoescaping Jinja2 template made: already
    # escaped, so marked safe for the Django template it goes into (not built HTML).
    return Markup(engines["jinja2"].get_template(name).render(context))  # noqa: S704


@register.simple_tag(takes_context=True)
def member_cards(context: template.Context, members: Iterable) -> Markup:
    """The result cards, each but the viewer's own with "Message" (a POST that opens the direct
    conversation). The viewer's member row is not fetched for this: the page's query count
    stays as it was."""
    request = context["request"]
    return _render(
        "network/_member_cards.jinja",
        {
            "members": members,
            "viewer_user_pk": request.user.pk,
            "start_url": reverse("messaging:start_direct"),
            "csrf_token": get_token(request),
        },
    )


@register.simple_tag
def facet_options(values: Iterable, current: str) -> Markup:
    """The <option>s of one filter, each with its count, the current one selected."""
    current = (current or "").lower()
    return _render("network/_facet_options.jinja", {"values": values, "current": current})
