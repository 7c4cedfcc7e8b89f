"""The README's configuration table names every environment variable the settings read."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READS = re.compile(r"""(?:env\w*\(|os\.environ\.get\()\s*["']([A-Z][A-Z0-9_]+)["']""")


def test_every_variable_the_settings_read_is_in_the_readme():
    read = set(READS.findall((ROOT / "config/settings.py").read_text()))
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") :]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]+)", table))
    prefixes = {name.removesuffix("_") for name in re.findall(r"`([A-Z]+_)\*`", table)}
    missing = {v for v in read - named if not any(v.startswith(p) for p in prefixes)}
    assert len(read) > 20 and not missing, sorted(missing)
