"""Template helpers for the directory page."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
SELECTED = mark_safe(" selected")


@register.simple_tag
def facet_options(values, current: str) -> SafeString:
    """The <option>s of one filter, each with its count, the current one selected.

    In Python rather than a template loop: the agency filter alone lists every department
    with members, and the loop was a third of the page's time (docs/benchmarks.md).
    """
    current = (current or "").lower()
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (
                v.value,
                SELECTED if v.value.lower() == current else "",
                v.label,
                v.count,
            )
            for v in values
        ),
    )


CARD = (
    '<li class="usa-card tablet:grid-col-6"><div class="usa-card__container">'
    '<div class="usa-card__header"><h3 class="usa-card__heading">'
    '<a class="usa-link" href="{}">{}</a></h3>{}</div>'
    '<div class="usa-card__body"><p class="margin-y-05">{}</p>{}</div></div></li>'
)


@register.simple_tag
def member_card(member) -> SafeString:
    """One result of the directory as a card. Python rather than template tags: 25 cards of
    ~10 variables each were a third of the page's time. format_html escapes every value."""
    where = member.agency.name if member.agency_id else member.organisation
    about = member.get_member_type_display() + (f" · {where}" if where else "")
    headline = (
        format_html('<p class="margin-y-05">{}</p>', member.headline) if member.headline else ""
    )
    lists = format_html_join(
        "",
        '<p class="margin-y-05"><span class="text-bold">{}:</span> {}</p>',
        (
            (label, names)
            for label, names in (
                ("Working on", member.challenge_list),
                ("Expertise", member.expertise_list),
            )
            if names
        ),
    )
    url = reverse("network:member", args=[member.pk])
    return format_html(CARD, url, member.name, headline, about, lists)
