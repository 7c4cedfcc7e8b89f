"""Back up Convene's PostgreSQL database, and prove a backup restores.

    python config/backup.py dump [--dir DIR] [--keep 14]   # pg_dump -Fc into DIR, oldest pruned
    python config/backup.py restore-check [FILE]           # restore into a scratch database, check

Both read DATABASE_URL (the database to back up). ``dump`` writes ``convene-<UTC time>.dump``
(PostgreSQL's custom format: compressed, restorable table by table) and, beside it, the row
counts of the tables that only grow, taken just before the dump started. ``restore-check``
restores the newest dump (or FILE) into a new database ``<name>_restore_check`` on the same
server, then checks that every migration the live database has is there, that Django's checks
pass against it, and that each counted table has at least the rows counted before the dump; it
drops the scratch database afterwards and exits 1 if anything is wrong. docs/deploy.md says how
to run ``dump`` on a schedule; tests/load/test_backup.py runs both.
"""

# ruff: noqa: S603, S607  (runs pg_dump, pg_restore and manage.py with fixed arguments)

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# Tables whose rows are only ever added in normal use, so a restore must hold at least as many.
GROWING = [
    "network_user",
    "network_member",
    "messaging_message",
    "discussions_post",
    "events_rsvp",
    "django_migrations",
]


def url_with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def _one(row: tuple[int] | None) -> int:
    """The value of a one-column row that is always there (a count)."""
    assert row is not None
    return row[0]


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        present = {
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        }
        return {
            table: _one(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone())  # noqa: S608
            for table in GROWING
            if table in present
        }


def dump(url: str, directory: Path, keep: int) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = directory / f"convene-{stamp}.dump"
    before = counts(url)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", url]
    subprocess.run(command, check=True)
    target.with_suffix(".counts.json").write_text(json.dumps(before))
    for old in sorted(directory.glob("convene-*.dump"))[:-keep]:
        old.unlink()
        old.with_suffix(".counts.json").unlink(missing_ok=True)
    print(f"backup: {target} ({target.stat().st_size // 1024} KiB)")
    return target


def restore_check(url: str, source: Path) -> list[str]:
    scratch = f"{urlparse(url).path.lstrip('/')}_restore_check"
    admin = url_with_database(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        connection.execute(f'CREATE DATABASE "{scratch}"')
    restored = url_with_database(url, scratch)
    problems: list[str] = []
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(source)],
            check=True,
        )
        expected = json.loads(source.with_suffix(".counts.json").read_text())
        found = counts(restored)
        for table, rows in expected.items():
            if found.get(table, 0) < rows:
                problems.append(f"{table}: {found.get(table, 0)} rows restored, {rows} before")
        env = {**os.environ, "DATABASE_URL": restored}
        for command in (["migrate", "--check"], ["check", "--database", "default"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True
            )
            if result.returncode:
                problems.append(f"manage.py {' '.join(command)}: {result.stdout.decode()[-300:]}")
        print(f"restore-check: {source.name} restored; rows {found}")
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump")
    dumping.add_argument("--dir", type=Path, default=ROOT / "var" / "backups")
    dumping.add_argument("--keep", type=int, default=14)
    checking = commands.add_parser("restore-check")
    checking.add_argument("file", type=Path, nargs="?")
    checking.add_argument("--dir", type=Path, default=ROOT / "var" / "backups")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit("DATABASE_URL must name the database to back up.")
    if args.command == "dump":
        dump(url, args.dir, args.keep)
        return 0
    source = args.file or max(args.dir.glob("convene-*.dump"), default=None)
    if source is None:
        sys.exit(f"No backup in {args.dir}.")
    problems = restore_check(url, source)
    for problem in problems:
        print(f"restore-check: {problem}", file=sys.stderr)
    print("restore-check: " + ("FAILED" if problems else "the backup restores and checks out"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
