"""A person as a small picture: their profile picture, or their initials on a colour of theirs.

One helper for every place a person appears (thread posts, profiles, directory cards, rosters,
chat), rendered by `templates/network/_avatar.html` (Django) and
`templates/network/_avatar.jinja` (the Jinja2 fragments), and mirrored by `avatarFor` in
`static/js/chat.js` for messages that arrive live. The name is always written beside the
avatar, so the picture is decorative (empty alt) and the initials are hidden from screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from network.links import id_url
from network.models import Member

# The colours are classes convene-avatar--hue-0 … -7 in static/css/convene.css, each dark
# enough for white initials (WCAG AA, 4.5:1; tests/network/test_avatars.py checks the CSS).
HUES = 8


@dataclass(frozen=True)
class Avatar:
    initials: str
    hue: int
    picture: str  # the picture's URL, or "" for initials


def initials(name: str) -> str:
    """First letters of the first and last words ("Ada Lovelace" -> "AL"), "?" for none."""
    words = [word for word in name.split() if word[0].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def hue(member_pk: int) -> int:
    """A colour that stays the member's wherever they appear (the chat's JS does the same)."""
    return member_pk % HUES


def avatar_for(member: Member, *, picture: bool = True) -> Avatar:
    """The member's avatar; ``picture=False`` where the viewer may not open their profile
    (the picture is served under the profile's visibility rule and would not load)."""
    url = id_url("network:avatar", member.pk) if picture and member.avatar else ""
    return Avatar(initials=initials(member.name), hue=hue(member.pk), picture=url)
