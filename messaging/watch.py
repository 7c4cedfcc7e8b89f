"""The periodic re-check of every chat socket in a server process, in one loop.

Each socket must learn, within ``CHAT_RECHECK_SECONDS``, that its session ended, that its member
left a room, or that a room's number moved while the channel layer was silent. Asking the
database once per socket cost a room of 500 sockets 500 round trips per period, which queued
message sends behind them; the watch asks once per ``BATCH`` sockets, in a fixed few queries
(queries.socket_states), and lets each socket act on its answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from django.conf import settings

from messaging import queries
from messaging.threads import database_sync_to_async

log = logging.getLogger(__name__)


def recheck_seconds() -> float:
    """How often a socket re-checks its session, its rooms and missed wake-ups (< 60 s)."""
    return float(getattr(settings, "CHAT_RECHECK_SECONDS", 20))


class Watched(Protocol):
    """What the watch needs of a socket (messaging.consumers.ChatConsumer)."""

    def check(self) -> queries.SocketCheck: ...

    async def apply_recheck(self, checked: queries.SocketCheck, state: dict) -> None: ...


class Watch:
    BATCH = 500

    def __init__(self) -> None:
        self.sockets: set[Watched] = set()
        self.task: asyncio.Task | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def add(self, socket: Watched) -> None:
        loop = asyncio.get_running_loop()
        if self.loop is not loop:  # a new event loop (tests start one each): start afresh
            self.sockets, self.loop, self.task = set(), loop, None
        self.sockets.add(socket)
        if self.task is None or self.task.done():
            self.task = loop.create_task(self.run())

    def discard(self, socket: Watched) -> None:
        self.sockets.discard(socket)

    async def run(self) -> None:
        """Re-check every socket each period, for as long as the process has sockets."""
        while self.sockets:
            await asyncio.sleep(recheck_seconds())
            sockets = list(self.sockets)
            for start in range(0, len(sockets), self.BATCH):
                try:
                    await self.recheck(sockets[start : start + self.BATCH])
                except Exception:  # one bad batch must not end the re-checks of the process
                    log.exception("chat re-check batch failed")

    async def recheck(self, sockets: list[Watched]) -> None:
        checks = [socket.check() for socket in sockets]
        try:
            states = await database_sync_to_async(queries.socket_states)(checks)
        except Exception as error:  # Database briefly away: try again next round.
            log.warning("chat re-check failed (%s)", type(error).__name__)
            return
        for socket, checked, state in zip(sockets, checks, states, strict=True):
            if socket not in self.sockets:
                continue  # closed meanwhile
            try:
                await socket.apply_recheck(checked, state)
            except Exception:  # The client went away meanwhile: nothing left to check.
                log.debug("re-check of a closing socket skipped", exc_info=True)
                self.discard(socket)


watch = Watch()
"""The one watch of this process."""
