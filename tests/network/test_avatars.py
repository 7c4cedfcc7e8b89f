"""Avatars: initials on a member's own colour (readable), or their picture beside their name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse

from network.avatars import HUES, avatar_for, hue, initials

CSS = Path(settings.BASE_DIR) / "static" / "css" / "convene.css"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ada Lovelace", "AL"),
        ("grace brewster murray hopper", "GH"),
        ("Cher", "C"),
        ("  Émile   Zola ", "ÉZ"),
        ("Dee (Acting) O'Neil", "DO"),
        ("", "?"),
        ("— —", "?"),
    ],
)
def test_initials_are_the_first_letters_of_the_first_and_last_words(name, expected):
    assert initials(name) == expected


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_avatar_colour_makes_white_initials_readable():
    found = dict(
        re.findall(
            r"\.convene-avatar--hue-(\d+) \{ background-color: (#[0-9a-f]{6}); \}", CSS.read_text()
        )
    )
    assert sorted(int(n) for n in found) == list(range(HUES))
    for colour in found.values():
        assert 1.05 / (_luminance(colour) + 0.05) >= 4.5, colour  # WCAG AA for normal text


def test_a_member_keeps_one_colour(world):
    assert avatar_for(world.member).hue == hue(world.member.pk) == avatar_for(world.member).hue
    assert {hue(pk) for pk in range(1, 100)} == set(range(HUES))


def _rendered(member, *args: str) -> str:
    return Template("{% load avatars %}{% avatar member " + " ".join(args) + " %}").render(
        Context({"member": member})
    )


def test_a_member_without_a_picture_is_drawn_as_initials_hidden_from_screen_readers(world):
    html = _rendered(world.mate)
    hue = f"convene-avatar--hue-{world.mate.pk % HUES}"
    assert (
        html
        == f'<span class="convene-avatar convene-avatar--md {hue}" aria-hidden="true">BM</span>'
    )


def test_a_picture_has_an_empty_alt_because_the_name_is_beside_it(world):
    world.mate.avatar = "avatars/bo.png"
    picture = reverse("network:avatar", args=[world.mate.pk])
    assert _rendered(world.mate, '"lg"') == (
        f'<img class="convene-avatar convene-avatar--lg" src="{picture}" alt="" loading="lazy">'
    )
    # Where the viewer may not open the profile, the picture (served under that rule) is not used.
    assert "<img" not in _rendered(world.mate, '"sm"', "False")


def test_the_profile_page_shows_the_avatar_beside_the_name(world, client_for):
    page = client_for("member").get(reverse("network:member", args=[world.mate.pk])).text
    assert 'aria-hidden="true">BM</span>' in page and "<bdi>Bo Mate</bdi></h1>" in page
