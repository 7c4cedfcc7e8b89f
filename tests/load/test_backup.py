"""config/backup.py: a dump restores into a scratch database with every row and migration, and
a restore that comes up short is reported (the commands docs/deploy.md gives for backups)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import MemberFactory
from tests.load.servers import ROOT, database_url_of

pytestmark = pytest.mark.django_db(transaction=True)


def backup(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url_of(connection.settings_dict)}
    return subprocess.run(
        [sys.executable, "config/backup.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_a_backup_restores_with_every_member_and_migration(tmp_path: Path):
    MemberFactory.create_batch(3)
    dumped = backup("dump", "--dir", str(tmp_path))
    assert dumped.returncode == 0, dumped.stderr
    checked = backup("restore-check", "--dir", str(tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "the backup restores and checks out" in checked.stdout


def test_a_restore_missing_rows_is_reported(tmp_path: Path):
    MemberFactory.create_batch(2)
    assert backup("dump", "--dir", str(tmp_path)).returncode == 0
    counts = next(tmp_path.glob("*.counts.json"))
    claimed = json.loads(counts.read_text())
    claimed["network_member"] += 5  # as if rows were lost between the live database and the file
    counts.write_text(json.dumps(claimed))
    checked = backup("restore-check", "--dir", str(tmp_path))
    assert checked.returncode == 1
    assert "network_member" in checked.stderr


def test_old_backups_are_pruned(tmp_path: Path):
    for _ in range(3):
        assert backup("dump", "--dir", str(tmp_path), "--keep", "2").returncode == 0
    assert len(list(tmp_path.glob("convene-*.dump"))) == 2
