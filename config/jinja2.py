"""The Jinja2 environment for fragments drawn many times a page (a thread's posts, search hits).

Django's own engine renders everything else; Jinja2 compiles a template to Python once, which
makes a fragment included fifty times a page cheap. Autoescaping is on, as in Django.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment

from network.avatars import avatar_for
from network.links import id_url


def url(name: str, *args: Any) -> str:
    """reverse(name, args=args); a URL taking one id is reversed once per name (id_url)."""
    if len(args) == 1 and type(args[0]) is int:
        return id_url(name, args[0])
    return reverse(name, args=args)


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 -- the backend passes autoescape=True
    env.globals.update(url=url, static=static, avatar_for=avatar_for)
    return env
