"""The agency list's e-mail domains: a .gov or .mil address suggests the member's agency."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from network.models import Agency

AGENCIES_FILE = Path(__file__).parent / "data" / "agencies.json"


@cache
def domains() -> dict[str, str]:
    """E-mail domain → agency acronym, from the data file shipped in the repository."""
    mapping: dict[str, str] = {}
    for row in json.loads(AGENCIES_FILE.read_text()):
        for domain in row.get("domains") or []:
            mapping[domain.lower()] = row["acronym"]
    return mapping


def acronym_for_email(email: str) -> str | None:
    """The most specific agency whose domain the address is in (omb.eop.gov before eop.gov)."""
    host = email.rsplit("@", 1)[-1].lower().strip(".")
    if not host.endswith((".gov", ".mil")):
        return None
    labels = host.split(".")
    for start in range(len(labels) - 1):
        acronym = domains().get(".".join(labels[start:]))
        if acronym:
            return acronym
    return None


def suggest_agency(emails: list[str]) -> Agency | None:
    """The agency the member's government addresses point to, if any."""
    for email in emails:
        acronym = acronym_for_email(email)
        if acronym:
            return Agency.objects.filter(acronym=acronym).first()
    return None
