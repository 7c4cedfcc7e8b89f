"""config/prod_local.py, the runner behind `make prod-local`: the nginx configuration it
generates is valid, and a process that dies is reported and started again (unless held down)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.load.servers import ROOT

SCRIPT = str(ROOT / "config" / "prod_local.py")


def prod_local(tmp_path: Path, *args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "CONVENE_PROD_DIR": str(tmp_path)}
    return subprocess.Popen(
        [sys.executable, SCRIPT, *args], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
        **kwargs,
    )  # fmt: skip


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx not installed")
def test_the_generated_nginx_configuration_is_valid(tmp_path: Path):
    code = (
        "import config.prod_local as p; "
        "[(p.VAR / d).mkdir(parents=True, exist_ok=True) for d in ('nginx', 'log', 'static')]; "
        "p.certificate(); print(p.nginx_conf())"
    )
    env = {**os.environ, "CONVENE_PROD_DIR": str(tmp_path)}
    made = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    conf = Path(made.stdout.strip())
    checked = subprocess.run(
        ["nginx", "-t", "-p", f"{tmp_path}/nginx/", "-c", str(conf), "-e", "stderr"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    text = conf.read_text()
    assert "proxy_pass http://convene_sockets" in text and "immutable" in text


def test_a_process_that_dies_is_reported_and_started_again(tmp_path: Path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "released").touch()
    marker = tmp_path / "starts"
    command = f"echo x >> {marker}; exit 3"
    keeper = prod_local(tmp_path, "keep", "demo", "--", "sh", "-c", command)
    deadline = time.monotonic() + 20
    while (not marker.exists() or len(marker.read_text().split()) < 2) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.1)
    keeper.send_signal(signal.SIGTERM)
    _, errors = keeper.communicate(timeout=10)
    assert len(marker.read_text().split()) >= 2
    assert "demo exited with code 3; starting it again" in errors


def test_a_held_process_stays_down_until_released(tmp_path: Path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "released").touch()
    (tmp_path / "run" / "hold-demo").touch()
    marker = tmp_path / "starts"
    keeper = prod_local(tmp_path, "keep", "demo", "--", "sh", "-c", f"echo x >> {marker}")
    time.sleep(2)
    assert len(marker.read_text().split()) == 1  # died once, held down since
    (tmp_path / "run" / "hold-demo").unlink()
    deadline = time.monotonic() + 10
    while len(marker.read_text().split()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    keeper.send_signal(signal.SIGTERM)
    _, errors = keeper.communicate(timeout=10)
    assert len(marker.read_text().split()) >= 2
    assert "held down until" in errors
