"""A chat client for real-process tests and the benchmark, following docs/chat-protocol.md:
reconnects (rotating over servers), resends unacknowledged sends with the same client_id, and
replays from its last number, so it should end with every message exactly once, in order."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus


@dataclass
class ChatClient:
    urls: list[str]
    cookie: str
    room: int
    name: str = "client"
    last: int = 0
    delivered: list[int] = field(default_factory=list)  # seqs, in the order applied
    messages: dict[int, dict] = field(default_factory=dict)
    acks: dict[str, dict] = field(default_factory=dict)
    outbox: dict[str, dict] = field(default_factory=dict)
    # The latest typing / presence / error / pong frames, for asserts (bounded: big rooms chat).
    frames: deque = field(default_factory=lambda: deque(maxlen=500))
    arrivals: dict[int, float] = field(default_factory=dict)  # message id -> first seen
    connects: int = 0
    drops: list[str] = field(default_factory=list)  # why each connection ended, for reports
    keepalive: float | None = 5.0  # seconds between pings; None leaves it to the server
    replaying: bool = False
    seen_max: int = 0

    def __post_init__(self) -> None:
        self._urls = itertools.cycle(self.urls)
        self.socket: ClientConnection | None = None
        self.connected = asyncio.Event()
        self.stopping = False
        self.task: asyncio.Task | None = None
        self.watchers: list[tuple[int, asyncio.Future]] = []
        self.background: set[asyncio.Task] = set()

    def spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.background.add(task)
        task.add_done_callback(self.background.discard)

    # Lifecycle --------------------------------------------------------------------------

    def start(self) -> ChatClient:
        self.task = asyncio.create_task(self.run())
        return self

    async def stop(self) -> None:
        self.stopping = True
        if self.socket is not None:
            await self.socket.close()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task

    async def drop(self) -> None:
        """Lose the connection (as a flaky network does); the client comes back by itself."""
        if self.socket is not None:
            await self.socket.close()

    async def run(self) -> None:
        delay = 0.1
        while not self.stopping:
            url = next(self._urls)
            origin = "http://" + url.split("/")[2]
            try:
                async with connect(
                    url,
                    additional_headers={"Cookie": f"sessionid={self.cookie}", "Origin": origin},
                    open_timeout=5,
                    ping_interval=self.keepalive,
                    ping_timeout=self.keepalive,
                    max_queue=None,
                ) as socket:
                    self.socket = socket
                    await self.opened(socket)
                    delay = 0.1
                    async for text in socket:
                        self.received(json.loads(text))
            except (ConnectionClosed, OSError, InvalidStatus, TimeoutError) as error:
                self.drops.append(f"{type(error).__name__}: {error}"[:200])
            finally:
                self.socket = None
                self.connected.clear()
                self.replaying = False
            if not self.stopping:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    async def opened(self, socket: ClientConnection) -> None:
        self.connects += 1
        await socket.send(json.dumps({"type": "subscribe", "rooms": [self.room]}))
        await self.replay()
        for frame in list(self.outbox.values()):
            await socket.send(json.dumps(frame))
        self.connected.set()

    # Protocol ---------------------------------------------------------------------------

    async def raw(self, frame: dict) -> None:
        if self.socket is not None:
            with contextlib.suppress(ConnectionClosed):
                await self.socket.send(json.dumps(frame))

    async def replay(self) -> None:
        if not self.replaying and self.socket is not None:
            self.replaying = True
            await self.raw({"type": "replay", "room": self.room, "since": self.last})

    async def send(self, body: str, client_id: str | None = None) -> str:
        client_id = client_id or uuid.uuid4().hex
        frame = {"type": "send", "room": self.room, "client_id": client_id, "body": body}
        self.outbox[client_id] = frame
        await self.raw(frame)
        return client_id

    def received(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "message":
            self.live(frame["message"])
        elif kind == "replay":
            for message in frame["messages"]:
                if message["rev"] > self.last:
                    self.apply(message)
            self.last = max(self.last, frame["upto"])
            self.replaying = False
            if frame["more"] or self.seen_max > self.last:
                self.spawn(self.replay())
        elif kind == "wake":
            if frame["last_seq"] > self.last:
                self.spawn(self.replay())
        elif kind == "ack" and "client_id" in frame:
            self.outbox.pop(frame["client_id"], None)
            self.acks[frame["client_id"]] = frame
        elif kind == "error" and frame.get("code") in ("rate_limited", "unavailable"):
            self.frames.append(frame)
            self.try_again_later(frame)
        else:
            self.frames.append(frame)
        self.notify()

    def try_again_later(self, error: dict) -> None:
        """Nothing was done: a refused send is resent unchanged (same client_id), and a
        replay the database could not answer is asked for again."""
        later = asyncio.get_running_loop().call_later
        if "client_id" in error:  # a send (gone from the outbox if acknowledged meanwhile)
            if again := self.outbox.get(error["client_id"]):
                later(error["retry_after"], lambda: self.spawn(self.raw(again)))
        elif error.get("room") == self.room and self.replaying:
            self.replaying = False
            later(error["retry_after"], lambda: self.spawn(self.replay()))
        elif error.get("code") == "unavailable":  # a subscribe: start again from the handshake
            later(error["retry_after"], lambda: self.spawn(self.drop()))

    def live(self, message: dict) -> None:
        if message["rev"] <= self.last:
            return
        if message["rev"] == self.last + 1 and not self.replaying:
            self.apply(message)
            self.last = message["rev"]
            return
        self.seen_max = max(self.seen_max, message["rev"])
        self.spawn(self.replay())

    def apply(self, message: dict) -> None:
        if message["id"] not in self.messages:
            self.delivered.append(message["seq"])
            self.arrivals[message["id"]] = time.perf_counter()
        self.messages[message["id"]] = message

    # Waiting ----------------------------------------------------------------------------

    def notify(self) -> None:
        for watcher in list(self.watchers):
            target, future = watcher
            if self.last >= target and not future.done():
                future.set_result(None)
                self.watchers.remove(watcher)

    async def wait_for_last(self, target: int, timeout: float) -> None:
        if self.last >= target:
            return
        future = asyncio.get_running_loop().create_future()
        self.watchers.append((target, future))
        await asyncio.wait_for(future, timeout)

    async def wait_for_frame(self, kind: str, timeout: float = 5, **match) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for frame in self.frames:
                if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                    return frame
            await asyncio.sleep(0.02)
        raise TimeoutError(f"{self.name}: no {kind} {match} in {list(self.frames)[-5:]}")

    async def wait_for_acks(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.outbox and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not self.outbox, f"{self.name}: {len(self.outbox)} sends never acknowledged"
