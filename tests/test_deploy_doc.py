"""docs/deploy.md stays true: its environment passes Django's deployment checks and reaches the
settings as it says (TLS to PostgreSQL and Redis, several channel-layer servers), and every
command it gives is still run by the file it names."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "deploy.md").read_text()
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['OPTIONS'], 'debug': s.DEBUG, "
    "'hsts': s.SECURE_HSTS_SECONDS, 'layer': s.CHANNEL_LAYERS['default']['CONFIG']['hosts'], "
    "'broker': s.CELERY_BROKER_URL, 'cookie_secure': s.SESSION_COOKIE_SECURE}))"
)


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC, flags=re.S)


def doc_environment() -> dict[str, str]:
    pairs = [line.split("=", 1) for line in blocks("env")[0].splitlines() if line.strip()]
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **dict(pairs),
    }


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=doc_environment(), capture_output=True, text=True
    )


def test_the_documented_environment_passes_the_deployment_checks():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_environment_reaches_the_settings_as_the_guide_says():
    result = run("-c", SHOW)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["db"]["sslmode"] == "verify-full"
    assert seen["db"]["sslrootcert"] == "/etc/convene/pg-ca.pem"
    assert seen["debug"] is False and seen["cookie_secure"] is True
    assert seen["hsts"] >= 31536000
    assert len(seen["layer"]) == 2 and all(h.startswith("rediss://") for h in seen["layer"])
    assert seen["broker"].startswith("rediss://")


def runs(command: str, text: str) -> bool:
    """The command's words appear in the runner's text in order; values (absolute paths,
    numbers, `$PLACEHOLDERS` for the reader's own) may differ, and `python`/`manage.py` may be
    spelled by a helper."""
    position = 0
    for word in command.split():
        value = (word.startswith(("/", "$")) and not word.startswith("$(")) or word.isdigit()
        if word in ("python", "manage.py") or value:
            continue
        found = text.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


def test_every_command_in_the_guide_is_run_by_the_file_it_names():
    commands = 0
    for block in blocks("sh"):
        runner, *lines = block.strip().splitlines()
        assert runner.startswith("# run by: "), block
        text = (ROOT / runner.removeprefix("# run by: ")).read_text()
        for command in lines:
            commands += 1
            assert runs(command, text), f"{command!r} is not run by {runner}"
    assert commands >= 10
