"""``{% avatar member %}`` for Django templates (the Jinja2 fragments use network/_avatar.jinja)."""

from __future__ import annotations

from django import template

from network.avatars import avatar_for
from network.models import Member

register = template.Library()


@register.inclusion_tag("network/_avatar.html")
def avatar(member: Member, size: str = "md", picture: bool = True) -> dict[str, object]:
    """The member's picture or initials; ``picture=False`` where the viewer may not open the
    member's profile (the picture would not load)."""
    return {"a": avatar_for(member, picture=picture), "size": size}
