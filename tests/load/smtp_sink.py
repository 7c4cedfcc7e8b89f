"""A minimal SMTP server on a loopback port that keeps every message it is given, for tests
whose mail is sent by another process (a real Celery worker). While ``refusing`` is set it
answers every recipient "451 try again later", as a busy or greylisting server does, and notes
each refusal."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
import time
from email.message import EmailMessage

from tests.services import free_port


class _Session(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "DATA":
                self.reply("354 go on")
                self.server.sink.keep(self._data())  # type: ignore[attr-defined]
                self.reply("250 kept")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb == "RCPT" and self.server.sink.refusing.is_set():  # type: ignore[attr-defined]
                self.server.sink.refused(line.decode(errors="replace"))  # type: ignore[attr-defined]
                self.reply(self.server.sink.refusal)  # type: ignore[attr-defined]
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


class SmtpSink:
    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[EmailMessage] = []
        self.refusing = threading.Event()
        self.refusal = "451 4.3.0 try again later"  # what RCPT gets while refusing
        self.refusals: list[tuple[float, str]] = []  # (when, the RCPT line) per refused try
        self._lock = threading.Lock()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), _Session)
        self._server.daemon_threads = True
        self._server.sink = self  # type: ignore[attr-defined]

    def keep(self, raw: bytes) -> None:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)  # type: ignore[arg-type]

    def refused(self, rcpt: str) -> None:
        with self._lock:
            self.refusals.append((time.monotonic(), rcpt.strip()))

    def __enter__(self) -> SmtpSink:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
