"""URLs that take one id (a post's, a member's), reversed once per name and then filled in.

A page of 50 posts or member cards asks for ~150 of them, and reversing each one took a tenth
of the thread page's time (docs/benchmarks.md).
"""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

# A number no real id reaches, reversed in its place and then replaced by the id.
_ID_PLACEHOLDER = 918273645546372819


@functools.cache
def _url_with_placeholder(prefix: str, name: str) -> str:
    return reverse(name, args=[_ID_PLACEHOLDER])


def id_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL whose one argument is an integer id."""
    pattern = _url_with_placeholder(get_script_prefix(), name)
    return pattern.replace(str(_ID_PLACEHOLDER), str(pk), 1)
