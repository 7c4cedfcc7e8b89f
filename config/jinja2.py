"""The Jinja2 environment for fragments drawn many times a page (a thread's posts, search hits).

Django's own engine renders everything else; Jinja2 compiles a template to Python once, which
makes a fragment included fifty times a page cheap. Autoescaping is on, as in Django.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import dateformat, timezone
from jinja2 import Environment

from network.avatars import avatar_for

# A number no real id reaches, reversed in its place and then replaced by the id.
_ID_PLACEHOLDER = 918273645546372819


@functools.cache
def _url_with_placeholder(prefix: str, name: str) -> str:
    return reverse(name, args=[_ID_PLACEHOLDER])


def url(name: str, *args: Any) -> str:
    """reverse(name, args=args). A URL taking one id (a post's, a member's) is reversed once per
    name and then filled in: a page of 50 posts asks for ~150 of them, and reversing each took
    a tenth of the page's time (docs/benchmarks.md)."""
    if len(args) == 1 and type(args[0]) is int:
        pattern = _url_with_placeholder(get_script_prefix(), name)
        return pattern.replace(str(_ID_PLACEHOLDER), str(args[0]), 1)
    return reverse(name, args=args)


def local_date(moment: datetime, shown: str) -> str:
    """The instant in the current time zone, formatted like Django's ``date`` filter."""
    return dateformat.format(timezone.localtime(moment), shown)


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 -- the backend passes autoescape=True
    env.globals.update(url=url, static=static, avatar_for=avatar_for)
    env.filters.update(localtime=timezone.localtime, local_date=local_date)
    return env
