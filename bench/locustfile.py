"""Simulated members for `make loadtest` and `make soak` (run through bench/loadtest.py).

Two kinds of member, one signed-in account each (bench/load_seed.py made the sessions):

- ``Member`` browses as members do, weighted like real use: home, directory searches with
  filters, profiles, boards and threads, replies, reactions, RSVPs, calendar downloads,
  notifications (the bell every open page polls, and the list).
- ``Chatter`` keeps one WebSocket open to /ws/ in its cohort's room and says something every
  few seconds, following docs/chat-protocol.md: it replays from its last number on any gap or
  reconnect and resends unacknowledged sends with the same client_id. After the run every
  chatter catches up, and the counts say whether each message reached each of them exactly
  once (``CHAT_RESULT``).

Environment: LOADTEST_ACCOUNTS (the seed's JSON), LOADTEST_RESULT (where the chat counts go),
LOADTEST_WAIT (seconds between a member's actions, "min,max"), LOADTEST_CHURN (seconds a
chatter stays connected before dropping and coming back; 0 = never, the soak sets it).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import secrets
import ssl
import string
import time
import uuid
from pathlib import Path

import gevent
import websocket
from locust import FastHttpUser, User, between, events, task

ACCOUNTS = json.loads(Path(os.environ["LOADTEST_ACCOUNTS"]).read_text())
RESULT = Path(os.environ.get("LOADTEST_RESULT", "var/prod/load/chat.json"))
WAIT = [float(x) for x in os.environ.get("LOADTEST_WAIT", "5,15").split(",")]
CHURN = float(os.environ.get("LOADTEST_CHURN", "0"))
_next_account = itertools.count()
DIRECTORY_WORDS = ["budget", "cloud", "hiring", "data", "chief", "deputy", "privacy", "alex"]
MEMBER_TYPES = ["", "career", "appointee", "alumnus"]
EXPERTISE = ["budget", "cloud", "acquisition", "privacy", "communications"]
CHALLENGES = ["hiring-speed", "ai-adoption", "cybersecurity", "legacy-it", "data-sharing"]


def account() -> dict:
    """Each simulated member signs in as a different load member (round robin past 200)."""
    accounts = ACCOUNTS["accounts"]
    return accounts[next(_next_account) % len(accounts)]


def csrf_token() -> str:
    # Django accepts its unmasked 32-character secret in the header when the cookie holds the
    # same: what a page's form would carry, without fetching a page first.
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


class Member(FastHttpUser):
    weight = 3
    wait_time = between(*WAIT)
    network_timeout = 10.0  # a page that takes longer counts as a failure (a timeout)
    connection_timeout = 5.0

    def on_start(self) -> None:
        self.me = account()
        self.csrf = csrf_token()
        self.cookie = f"sessionid={self.me['cookie']}; csrftoken={self.csrf}"

    def get(self, path: str, kind: str, **params: str) -> None:
        self.client.get(
            path,
            params=params or None,
            headers={"Cookie": self.cookie},
            name=kind,
            allow_redirects=False,
        )

    def post(self, path: str, kind: str, data: dict[str, str]) -> None:
        # Django answers a form that worked with a redirect: 302 is success, anything
        # else (a form shown again, 403, 5xx) is not.
        with self.client.post(
            path,
            data=data,
            headers={
                "Cookie": self.cookie,
                "X-CSRFToken": self.csrf,
                "Origin": self.host,
                "Referer": self.host + "/",
            },
            name=kind,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"{response.status_code} instead of a redirect")

    @task(10)
    def home(self) -> None:
        self.get("/", "home")

    @task(6)
    def bell(self) -> None:
        self.get("/discussions/notifications/count/", "notifications")

    @task(8)
    def directory(self) -> None:
        filters = random.choice(
            [
                {"q": random.choice(DIRECTORY_WORDS)},
                {"q": random.choice(DIRECTORY_WORDS), "member_type": random.choice(MEMBER_TYPES)},
                {"expertise": random.choice(EXPERTISE)},
                {"challenge": random.choice(CHALLENGES), "sort": "name"},
                {"q": random.choice(DIRECTORY_WORDS), "page": "2"},
            ]
        )
        self.get("/directory/", "directory", **{k: v for k, v in filters.items() if v})

    @task(6)
    def profile(self) -> None:
        self.get(f"/members/{random.choice(ACCOUNTS['profiles'])}/", "profile")

    @task(3)
    def boards(self) -> None:
        self.get("/discussions/", "boards")
        self.get(f"/discussions/b/{self.me['board']}/", "boards")

    @task(8)
    def thread(self) -> None:
        self.get(f"/discussions/t/{random.choice(self.me['threads'])}/", "thread")

    @task(2)
    def reply(self) -> None:
        thread = random.choice(self.me["threads"])
        body = f"Load reply {uuid.uuid4().hex[:8]}: here is what worked for us."
        self.post(f"/discussions/t/{thread}/reply/", "reply", {"body": body})

    @task(3)
    def react(self) -> None:
        thread = random.choice(self.me["threads"])
        # The thread's opening post: the first post of a thread made by the seed.
        with self.client.get(
            f"/discussions/t/{thread}/",
            headers={"Cookie": self.cookie},
            name="thread",
            catch_response=True,
        ) as response:
            marker = 'action="/discussions/p/'
            text = response.text or ""
            if marker not in text:
                response.success()  # a thread whose posts the member cannot react to
                return
            post = text.split(marker, 1)[1].split("/", 1)[0]
        kind = random.choice(["agree", "thanks", "insight", "celebrate"])
        self.post(f"/discussions/p/{post}/react/", "reaction", {"kind": kind})

    @task(3)
    def events(self) -> None:
        self.get("/events/", "events")
        self.get(f"/events/{random.choice(self.me['events'])}/", "events")

    @task(2)
    def rsvp(self) -> None:
        event = random.choice(self.me["events"])
        answer = random.choice(["going", "declined"])
        self.post(f"/events/{event}/rsvp/", "rsvp", {"answer": answer})

    @task(2)
    def calendar(self) -> None:
        self.get(f"/events/{random.choice(self.me['events'])}/event.ics", "calendar")

    @task(2)
    def notifications(self) -> None:
        self.get("/discussions/notifications/", "notifications")


# Chat -------------------------------------------------------------------------------------

CHATTERS: list[Chatter] = []


def _fire(kind: str, started: float, error: Exception | None = None) -> None:
    events.request.fire(
        request_type="WS",
        name=kind,
        response_time=(time.perf_counter() - started) * 1000,
        response_length=0,
        exception=error,
        context={},
    )


class Chatter(User):
    """One browser tab with the chat open: a socket, a room, a member who speaks now and then."""

    weight = int(os.environ.get("LOADTEST_CHAT_WEIGHT", "1"))  # against Member's 3
    wait_time = between(4, 10)

    def on_start(self) -> None:
        self.me = account()
        self.room: int = self.me["room"]
        self.base = self.host.replace("https://", "wss://").replace("http://", "ws://")
        self.last = -1  # the highest rev applied; -1 until the first subscribe says where to start
        self.first = 0  # messages after this rev are the ones this chatter must see
        self.seen: dict[int, int] = {}  # message id -> times applied (more than 1: a duplicate)
        self.revs: set[int] = set()
        self.latencies: list[float] = []
        self.outbox: dict[str, dict] = {}
        self.sent: dict[str, float] = {}
        self.acked: dict[str, int] = {}
        self.replaying = False
        self.seen_max = 0
        self.connects = 0
        self.socket: websocket.WebSocket | None = None
        self.running = True
        CHATTERS.append(self)
        self.reader = gevent.spawn(self.read_forever)

    # Connection ---------------------------------------------------------------------------

    def connect(self) -> None:
        started = time.perf_counter()
        try:
            self.socket = websocket.create_connection(
                self.base + "/ws/",
                origin=self.host,
                cookie=f"sessionid={self.me['cookie']}",
                sslopt={"cert_reqs": ssl.CERT_NONE},
                timeout=10,
            )
        except Exception as error:  # refused, 5xx at the handshake, timeout: counted
            self.socket = None
            _fire("chat connect", started, error)
            raise
        _fire("chat connect", started)
        self.socket.settimeout(None)  # a quiet room is not a dead socket; the server pings
        self.connects += 1
        self.connected_at = time.monotonic()
        self.raw({"type": "subscribe", "rooms": [self.room]})

    def read_forever(self) -> None:
        pause = 0.2
        while self.running:
            try:
                if self.socket is None:
                    self.connect()
                    pause = 0.2
                frame = self.socket.recv()
                if frame:
                    self.received(json.loads(frame))
                churn = CHURN * random.uniform(0.5, 1.5)
                if CHURN and time.monotonic() - self.connected_at > churn:
                    self.socket.close()  # a tab closed and opened again
                    self.socket = None
            except Exception:  # any socket trouble: reconnect, as a page does
                if self.socket is not None:
                    with contextlib.suppress(Exception):
                        self.socket.close()
                self.socket = None
                self.replaying = False
                if self.running:
                    gevent.sleep(pause)
                    pause = min(pause * 2, 3.0)

    def raw(self, frame: dict) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):  # the reader notices and reconnects
                self.socket.send(json.dumps(frame))

    # Protocol -----------------------------------------------------------------------------

    def replay(self) -> None:
        if not self.replaying and self.last >= 0:
            self.replaying = True
            self.raw({"type": "replay", "room": self.room, "since": self.last})

    def received(self, frame: dict) -> None:
        kind = frame["type"]
        if kind == "subscribed":
            counter = frame["rooms"][0]["last_seq"]
            if self.last < 0:
                self.first = self.last = counter
            self.replaying = False
            self.replay()
            for pending in list(self.outbox.values()):
                self.raw(pending)
        elif kind == "message":
            self.live(frame["message"])
        elif kind == "replay":
            for message in frame["messages"]:
                if message["rev"] > self.last:
                    self.apply(message)
            self.last = max(self.last, frame["upto"])
            self.replaying = False
            if frame["more"] or self.seen_max > self.last:
                self.replay()
        elif kind == "wake" and frame["last_seq"] > self.last:
            self.replay()
        elif kind == "ack" and "client_id" in frame:
            self.outbox.pop(frame["client_id"], None)
            self.acked[frame["client_id"]] = frame["seq"]
        elif kind == "error" and frame.get("client_id") in self.outbox:
            again = self.outbox[frame["client_id"]]
            gevent.spawn_later(float(frame.get("retry_after") or 1), self.raw, again)

    def live(self, message: dict) -> None:
        if self.last < 0 or message["rev"] <= self.last:
            return
        if message["rev"] == self.last + 1 and not self.replaying:
            self.apply(message)
            self.last = message["rev"]
            return
        self.seen_max = max(self.seen_max, message["rev"])
        self.replay()

    def apply(self, message: dict) -> None:
        self.seen[message["id"]] = self.seen.get(message["id"], 0) + 1
        self.revs.add(message["rev"])
        body = message["body"]
        if body.startswith("load ") and self.seen[message["id"]] == 1:
            self.latencies.append(time.time() - float(body.split(" ")[2]))

    # What the member does -----------------------------------------------------------------

    @task
    def say(self) -> None:
        if self.socket is None:
            return  # a person does not type into a chat that says "reconnecting"
        client_id = uuid.uuid4().hex
        frame = {
            "type": "send",
            "room": self.room,
            "client_id": client_id,
            "body": f"load {client_id} {time.time():.6f}",
        }
        self.outbox[client_id] = frame
        self.sent[client_id] = time.time()
        self.raw(frame)

    def on_stop(self) -> None:
        pass  # the socket stays open until the run's counts are taken (settle below)


def settle(timeout: float = 30.0) -> dict:
    """After the run: every chatter resends what is unacknowledged and catches up to its room's
    counter; then count sends, deliveries, losses and duplicates."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(c.outbox for c in CHATTERS):
        for chatter in CHATTERS:
            for pending in list(chatter.outbox.values()):
                chatter.raw(pending)
        gevent.sleep(1)
    rooms_top: dict[int, int] = {}
    for chatter in CHATTERS:
        for seq in chatter.acked.values():
            rooms_top[chatter.room] = max(rooms_top.get(chatter.room, 0), seq)
    while time.monotonic() < deadline and any(c.last < rooms_top.get(c.room, 0) for c in CHATTERS):
        for chatter in CHATTERS:
            if chatter.last < rooms_top.get(chatter.room, 0):
                chatter.replaying = False
                chatter.replay()
        gevent.sleep(0.5)
    for chatter in CHATTERS:
        chatter.running = False
        if chatter.socket is not None:
            chatter.socket.close()
    expected = delivered = lost = duplicated = 0
    latencies: list[float] = []
    for chatter in CHATTERS:
        top = rooms_top.get(chatter.room, chatter.first)
        due = set(range(chatter.first + 1, top + 1))
        expected += len(due)
        delivered += len(due & chatter.revs)
        lost += len(due - chatter.revs)
        duplicated += sum(count - 1 for count in chatter.seen.values())
        latencies += chatter.latencies
    return {
        "chatters": len(CHATTERS),
        "sent": sum(len(c.sent) for c in CHATTERS),
        "acked": sum(len(c.acked) for c in CHATTERS),
        "unacked": sum(len(c.outbox) for c in CHATTERS),
        "client_ids": [cid for c in CHATTERS for cid in c.acked],
        "unacked_ids": [cid for c in CHATTERS for cid in c.outbox],
        "expected_deliveries": expected,
        "delivered": delivered,
        "lost": lost,
        "duplicated": duplicated,
        "latencies_ms": sorted(round(x * 1000, 2) for x in latencies),
        "reconnects": sum(max(c.connects - 1, 0) for c in CHATTERS),
    }


@events.test_stop.add_listener
def _count_chat(environment, **kwargs) -> None:
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(settle()))
