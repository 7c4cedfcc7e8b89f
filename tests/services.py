"""Run a command with a throwaway PostgreSQL and Redis of its own.

    python tests/services.py -- COMMAND [ARG ...]

Starts PostgreSQL (initdb into a temporary directory, on a free loopback port, fsync off) and
redis-server (no persistence) on another free port, exports DATABASE_URL, REDIS_URL and
CONVENE_REDIS_SERVER (what a fault test needs to stop and restart Redis), runs the command, then
stops both servers and removes their files, whatever the command's outcome. Uses only the
standard library, so it runs before anything is installed.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bindir() -> Path:
    pg_config = shutil.which("pg_config")
    if pg_config:
        bindir = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (bindir / "initdb").exists():
            return bindir
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if not candidates:
        sys.exit("PostgreSQL server binaries not found: install postgresql (15 or newer).")
    return Path(candidates[0]).parent


def as_postgres_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root, so root runs it as the postgres account."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def start_postgres(root: Path, port: int) -> Path:
    bindir = postgres_bindir()
    data = root / "pg"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        as_postgres_user(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        as_postgres_user(
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(root / "pg.log"),
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [
            str(bindir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-q",
            "-c",
            "CREATE DATABASE convene",
        ],
        check=True,
    )
    return data


def stop_postgres(data: Path) -> None:
    bindir = postgres_bindir()
    subprocess.run(
        as_postgres_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def redis_command(root: Path, port: int) -> list[str]:
    server = shutil.which("redis-server")
    if not server:
        sys.exit("redis-server not found: install it (Debian: apt-get install redis-server).")
    return [
        server,
        "--bind",
        "127.0.0.1",
        "--port",
        str(port),
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(root),
    ]


def listening_within(port: int, timeout: float) -> bool:
    """Whether something listens on the loopback port before the timeout (also used by the
    chat tests' server processes, tests/load/servers.py)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    if not listening_within(port, timeout):
        sys.exit(f"A test service did not start listening on port {port}.")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit(__doc__)
    root = Path(tempfile.mkdtemp(prefix="convene-services-"))
    root.chmod(0o777)
    pg_port, redis_port = free_port(), free_port()
    data = None
    redis = None
    try:
        data = start_postgres(root, pg_port)
        redis_cmd = redis_command(root, redis_port)
        redis = subprocess.Popen(redis_cmd, stdout=subprocess.DEVNULL)
        wait_for_port(redis_port)
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/convene",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "CONVENE_REDIS_SERVER": " ".join(redis_cmd),
        }
        return subprocess.call(argv, env=env)
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        # A fault test may have restarted Redis itself; leave no server behind.
        subprocess.run(
            ["pkill", "-f", f"redis-server 127.0.0.1:{redis_port}"], stderr=subprocess.DEVNULL
        )
        if data is not None:
            stop_postgres(data)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
