"""Member names for pickers (the seat's previous holder): only members the asker may see."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from network import access
from network.models import Member

LIMIT = 10
SHORTEST = 2  # one letter would match half the network and tell nobody anything


def members_named(user, text: str) -> list[Member]:
    """Up to ten visible members whose name matches what was typed, best first, in one query.

    Every typed word must start a word of the name ("ja do" finds Jane Doe). On PostgreSQL that
    is a case-insensitive regular expression the trigram index on names can serve; SQLite checks
    that each word appears somewhere in the name. Misspellings are the directory's job.
    """
    text = " ".join(text.replace("\x00", "").split())[:100]  # PostgreSQL refuses NUL
    if len(text) < SHORTEST:
        return []
    members = access.visible_members(user).select_related("agency")
    for word in text.split():
        if connection.vendor == "postgresql":
            members = members.filter(name__iregex=r"\m" + re.escape(word))
        else:
            members = members.filter(name__icontains=word)
    starts = Case(
        When(name__istartswith=text, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(members.order_by(starts, "name", "pk")[:LIMIT])
