"""The production shape on one machine: ``make prod-local``.

    python config/prod_local.py start          # prepare, then run every Procfile process
    python config/prod_local.py env            # the environment the processes get, as KEY=value

and, as Procfile lines (see the top-level Procfile): ``postgres``, ``redis``, ``release``,
``smtp`` and ``keep NAME -- COMMAND`` (runs an app process once the release step is done,
reports it when it dies and starts it again, as a service manager would).

Everything it keeps lives under ``var/prod/``: PostgreSQL's and Redis's data (kept between runs),
the self-signed certificate, nginx's generated configuration, logs and the mail the local SMTP
sink caught. Ports come from the environment (CONVENE_HTTPS_PORT and the others in PORTS), so a
second copy can run beside the first. Uses only the standard library: it runs before Django.
"""

# ruff: noqa: S310, S603, S606, S607  (fixed commands and names on PATH; https to itself)

from __future__ import annotations

import asyncio
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("CONVENE_PROD_DIR", ROOT / "var" / "prod"))
VENV_BIN = ROOT / ".venv" / "bin"
RELEASED = VAR / "run" / "released"

sys.path.insert(0, str(ROOT))
from tests.services import as_postgres_user, listening_within, postgres_bindir  # noqa: E402

PORTS = {
    "CONVENE_HTTPS_PORT": 8443,
    "CONVENE_WEB_PORT": 8101,
    "CONVENE_WS1_PORT": 8201,
    "CONVENE_WS2_PORT": 8202,
    "CONVENE_PG_PORT": 54329,
    "CONVENE_REDIS_PORT": 63799,
    "CONVENE_SMTP_PORT": 8025,
}


def port(name: str) -> int:
    return int(os.environ.get(name) or PORTS[name])


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# The environment --------------------------------------------------------------------------


def secret_key() -> str:
    path = VAR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def app_env() -> dict[str, str]:
    """Production settings, as docs/deploy.md lists them, pointed at the local services."""
    https = f"https://127.0.0.1:{port('CONVENE_HTTPS_PORT')}"
    return {
        "DJANGO_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secret_key(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": https,
        "SITE_URL_IS_THIS_MACHINE": "true",  # members of this demo do browse on this machine
        "CSRF_TRUSTED_ORIGINS": https,
        "DATABASE_URL": f"postgres://convene@127.0.0.1:{port('CONVENE_PG_PORT')}/convene",
        "REDIS_URL": f"redis://127.0.0.1:{port('CONVENE_REDIS_PORT')}/0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port("CONVENE_SMTP_PORT")),
        "EMAIL_USE_TLS": "false",
        "TRUSTED_PROXY_COUNT": "1",  # nginx, and only nginx, speaks for the client's address
        "CONVENE_VAR_DIR": str(VAR),
        "MEDIA_ROOT": str(VAR / "media"),
        **{name: str(port(name)) for name in PORTS},
    }


def prepare() -> None:
    for sub in ("run", "log", "nginx", "redis", "mail", "media", "static"):
        (VAR / sub).mkdir(parents=True, exist_ok=True)
    certificate()
    # nginx shows the same "back in a moment" page when the page server is unreachable.
    (VAR / "static" / "errors").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "templates" / "503.html", VAR / "static" / "errors" / "503.html")
    nginx_conf()
    initdb()
    RELEASED.unlink(missing_ok=True)


def certificate() -> None:
    cert, key = VAR / "nginx" / "cert.pem", VAR / "nginx" / "key.pem"
    if cert.exists() and key.exists():
        return
    say("Making a self-signed certificate for 127.0.0.1 and localhost (var/prod/nginx/cert.pem).")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "825",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def nginx_conf() -> Path:
    """config/nginx.conf.template filled in for these ports and directories."""
    template = string.Template((ROOT / "config" / "nginx.conf.template").read_text())
    conf = VAR / "nginx" / "nginx.conf"
    # As root, nginx hands its workers to an unprivileged account; they must read the
    # certificate's directory and the static files, and write their temporary files.
    user = "nobody nogroup" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
    conf.write_text(
        template.substitute(
            user=user,
            prefix=VAR / "nginx",
            logs=VAR / "log",
            static=VAR / "static",
            media=VAR / "media",
            https_port=port("CONVENE_HTTPS_PORT"),
            web_port=port("CONVENE_WEB_PORT"),
            ws1_port=port("CONVENE_WS1_PORT"),
            ws2_port=port("CONVENE_WS2_PORT"),
        )
    )
    if os.geteuid() == 0:
        for path in (VAR / "nginx", VAR / "log"):
            subprocess.run(["chown", "-R", "nobody:nogroup", str(path)], check=True)
        (VAR / "nginx" / "key.pem").chmod(0o600)
    return conf


def initdb() -> None:
    data = VAR / "pg"
    if (data / "PG_VERSION").exists():
        return
    say("Creating the PostgreSQL cluster in var/prod/pg (kept between runs).")
    data.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    subprocess.run(
        as_postgres_user(
            [str(postgres_bindir() / "initdb"), "-D", str(data), "-U", "convene",
             "--auth=trust", "-E", "UTF8"]
        ),
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


# Procfile processes ---------------------------------------------------------------------


def run_postgres() -> None:
    data = VAR / "pg"
    command = [
        str(postgres_bindir() / "postgres"), "-D", str(data), "-p", str(port("CONVENE_PG_PORT")),
        "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
        "-c", "max_connections=200", "-c", "log_min_messages=warning",
    ]  # fmt: skip
    if os.geteuid() == 0:  # PostgreSQL refuses root; become its account and stay its parent's
        account = pwd.getpwnam("postgres")
        os.initgroups("postgres", account.pw_gid)
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)
    os.execv(command[0], command)


def run_redis() -> None:
    command = [
        shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1",
        "--port", str(port("CONVENE_REDIS_PORT")), "--dir", str(VAR / "redis"),
        "--appendonly", "yes", "--save", "", "--loglevel", "warning",
    ]  # fmt: skip
    os.execvp(command[0], command)


def manage(*args: str) -> None:
    subprocess.run([str(VENV_BIN / "python"), "manage.py", *args], cwd=ROOT, check=True)


def static_sources() -> str:
    """A fingerprint of what collectstatic would collect: names, sizes and times of the files."""
    digest = hashlib.sha256()
    for top in ("static", "node_modules/@uswds/uswds/dist", "node_modules/htmx.org/dist",
                "requirements.lock", "templates/503.html"):  # fmt: skip
        for path in sorted((ROOT / top).rglob("*")) if (ROOT / top).is_dir() else [ROOT / top]:
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def release() -> None:
    """Waits for PostgreSQL and Redis, migrates, collects static files, seeds the demo, then
    tells the app processes to start and prints where the site is."""
    for name in ("CONVENE_PG_PORT", "CONVENE_REDIS_PORT"):
        if not listening_within(port(name), 60):
            sys.exit(f"release: nothing listening on {name}={port(name)}")
    psql = [str(postgres_bindir() / "psql"), "-h", "127.0.0.1", "-p", str(port("CONVENE_PG_PORT"))]
    for _ in range(50):  # the port opens a moment before connections are accepted
        if subprocess.run([*psql, "-U", "convene", "-d", "postgres", "-qc", "SELECT 1"],
                          capture_output=True).returncode == 0:  # fmt: skip
            break
        time.sleep(0.2)
    exists = subprocess.run(
        [*psql, "-U", "convene", "-d", "postgres", "-tAc",
         "SELECT 1 FROM pg_database WHERE datname = 'convene'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run([*psql, "-U", "convene", "-d", "postgres", "-qc", "CREATE DATABASE convene"],
                       check=True)  # fmt: skip
    manage("migrate", "--verbosity", "0")
    stamp = VAR / "static" / ".sources"
    if not stamp.exists() or stamp.read_text() != static_sources():
        manage("collectstatic", "--noinput", "--verbosity", "0")  # compressing takes a while
        stamp.write_text(static_sources())
    manage("seed_demo")
    manage("seed_events_demo")
    RELEASED.touch()
    https = f"https://127.0.0.1:{port('CONVENE_HTTPS_PORT')}"
    ready_through_nginx(https)
    say(f"\nConvene (production shape) serves at {https}/ (self-signed certificate).")
    say(f"Health: {https}/healthz and {https}/readyz. Mail is caught in var/prod/mail/.")
    say("Ctrl-C stops every process.\n")
    signal.pause()


def ready_through_nginx(https: str, timeout: float = 120) -> None:
    """Waits until /readyz answers 200 through nginx, as a load balancer's check would."""
    context = ssl.create_default_context(cafile=str(VAR / "nginx" / "cert.pem"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{https}/readyz", context=context, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    say(f"{https}/readyz did not answer 200 within {timeout:.0f} s; see the lines above.")


def describe(code: int) -> str:
    if code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def held(name: str) -> Path:
    """While this file exists a process that died is not started again: the fault drills
    (tests/load/drills.py) use it to keep PostgreSQL or Redis down for as long as they mean."""
    return VAR / "run" / f"hold-{name}"


def keep(
    name: str, command: list[str], *, after_release: bool = True, stop_with: int | None = None
) -> int:
    """Runs a process (an app process only after the release step); when it dies, says so and
    starts it again (with a growing pause if it keeps dying), until told to stop."""
    while after_release and not RELEASED.exists():
        time.sleep(0.2)
    child: subprocess.Popen | None = None
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(stop_with or signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pause = 1.0
    while True:
        started = time.monotonic()
        # A service with its own stop signal runs in its own process group, so that only that
        # signal reaches it (PostgreSQL: SIGINT, a fast shutdown, not SIGTERM's wait for every
        # client to leave).
        child = subprocess.Popen(command, cwd=ROOT, start_new_session=stop_with is not None)
        code = child.wait()
        if stopping:
            return 0
        pause = 1.0 if time.monotonic() - started > 30 else min(pause * 2, 30.0)
        if held(name).exists():
            say(f"{name} {describe(code)}; held down until {held(name)} is removed")
            while held(name).exists() and not stopping:
                time.sleep(0.1)
            pause = 0.0
        else:
            say(f"{name} {describe(code)}; starting it again in {pause:.0f} s")
        time.sleep(pause)
        if stopping:
            return 0


def smtp_refusing() -> Path:
    """While this file exists the local SMTP sink answers every recipient "451 try again
    later" (the mail drill, tests/load/drills.py --only smtp) and notes each refusal."""
    return VAR / "run" / "smtp-refuse"


SMTP_REFUSALS = VAR / "log" / "smtp-refused.log"


async def _sink(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Just enough SMTP to accept mail and file each message under var/prod/mail/."""

    async def reply(line: str) -> None:
        writer.write(f"{line}\r\n".encode())
        await writer.drain()

    await reply("220 convene-local-sink ESMTP")
    while line := await reader.readline():
        verb = line.decode(errors="replace").strip().split(" ")[0].upper()
        if verb in ("EHLO", "HELO"):
            await reply("250 convene-local-sink")
        elif verb == "DATA":
            await reply("354 end with <CRLF>.<CRLF>")
            body = bytearray()
            while (chunk := await reader.readline()) not in (b".\r\n", b".\n", b""):
                body += chunk[1:] if chunk.startswith(b"..") else chunk
            name = f"{time.time_ns()}-{secrets.token_hex(4)}.eml"
            (VAR / "mail" / name).write_bytes(bytes(body))
            await reply("250 queued")
        elif verb == "QUIT":
            await reply("221 bye")
            break
        elif verb == "RCPT" and smtp_refusing().exists():
            with SMTP_REFUSALS.open("a") as refusals:
                refusals.write(f"{time.time():.3f} {line.decode(errors='replace').strip()}\n")
            await reply("451 4.3.0 try again later")
        else:
            await reply("250 ok")
    writer.close()


def run_smtp() -> None:
    async def serve() -> None:
        server = await asyncio.start_server(_sink, "127.0.0.1", port("CONVENE_SMTP_PORT"))
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


# Start ------------------------------------------------------------------------------------


def busy_ports() -> list[str]:
    busy = []
    for name in PORTS:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port(name))) == 0:
                busy.append(f"{name}={port(name)}")
    return busy


def start() -> int:
    if busy := busy_ports():
        sys.exit("Already in use: " + ", ".join(busy) + " (is prod-local running already?)")
    prepare()
    env = {**os.environ, **app_env(), "PATH": f"{VENV_BIN}:{os.environ['PATH']}:/usr/sbin"}
    honcho = [str(VENV_BIN / "honcho"), "-f", str(ROOT / "Procfile"), "start"]
    os.chdir(ROOT)
    os.execve(honcho[0], honcho, env)  # honcho itself answers Ctrl-C and SIGTERM


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    command, rest = argv[0], argv[1:]
    if command == "start":
        return start()
    if command == "env":
        VAR.mkdir(parents=True, exist_ok=True)
        print("\n".join(f"{k}={v}" for k, v in app_env().items()))
        return 0
    if command == "keep":
        name, separator, *cmd = rest
        if separator != "--" or not cmd:
            sys.exit("usage: prod_local.py keep NAME -- COMMAND [ARG ...]")
        return keep(name, cmd)
    if command in ("postgres", "redis"):  # services start at once and come back if they die
        stop_with = signal.SIGINT if command == "postgres" else None
        return keep(
            command,
            [sys.executable, __file__, f"run-{command}"],
            after_release=False,
            stop_with=stop_with,
        )
    actions = {"run-postgres": run_postgres, "run-redis": run_redis, "release": release,
               "smtp": run_smtp}  # fmt: skip
    if command not in actions:
        sys.exit(__doc__)
    actions[command]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
