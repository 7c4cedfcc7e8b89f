"""Real server processes for chat tests and the benchmark: uvicorn serving config.asgi."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.services import free_port, listening_within

ROOT = Path(__file__).resolve().parents[2]
UVICORN = [sys.executable, "-m", "uvicorn"]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    if not listening_within(port, timeout):
        raise RuntimeError(f"nothing listening on port {port}")


def database_url_of(settings_dict: dict) -> str:
    """The URL of the database pytest-django made, for server processes to share it."""
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


class Server:
    """One uvicorn process on a port of its own."""

    def __init__(self, env: dict[str, str], app: str = "config.asgi:application") -> None:
        self.port = free_port()
        self.env = env
        self.app = app
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/"

    def start(self) -> Server:
        command = [*UVICORN, self.app, "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--log-level", "warning", "--ws-max-size", str(1024 * 1024)],
            cwd=ROOT,
            env=self.env,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        """Die at once, as a crashed process does: no goodbye to any client."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {**env, **extra}


@contextmanager
def running(*servers: Server) -> Iterator[tuple[Server, ...]]:
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()
