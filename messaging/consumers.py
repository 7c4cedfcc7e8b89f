"""The one chat WebSocket per browser tab, multiplexing the member's rooms.

The consumer parses frames (messaging.frames), checks them, calls the services and relays their
answers; nothing else. Every request that touches a room checks membership again; writes go
through messaging.services.chat, which stores first and wakes the room after commit. What
arrives through the channel layer is forwarded as a hint: a client that sees a gap asks for a
replay, which comes from the database. The send rate lives in messaging.throttle, the periodic
re-check of every socket in messaging.watch. See docs/chat-protocol.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import InterfaceError, OperationalError

from messaging import frames, queries
from messaging.access.chat import socket_member_for
from messaging.frames import BadFrame
from messaging.models import Room
from messaging.services import chat as services
from messaging.services.broadcast import REDIS_AWAY, room_group, session_group
from messaging.threads import database_sync_to_async
from messaging.throttle import RateLimited, check_send
from messaging.watch import watch

log = logging.getLogger(__name__)

TYPING_INTERVAL = 2.0  # seconds between typing signals per room, per socket
LAYER_TIMEOUT = 2.0
# How long a change the re-check found may take to arrive through the layer before the socket
# is told to replay it (a wake-up in flight usually lands within milliseconds).
WAKE_GRACE_SECONDS = 2.0
CLOSE_SESSION_ENDED = 4001
UNAVAILABLE_RETRY_AFTER = 2.0
# Frames served without the database, which keep working while it is away.
WITHOUT_DATABASE = frozenset({"ping", "typing", "unsubscribe", "presence"})


class DatabaseRecentlyAway(OperationalError):
    """Answered without trying: a frame found the database unreachable a moment ago."""


# PostgreSQL stopped, restarting or out of connections (a pool's timeout is an OperationalError
# too): the frame did nothing, and the same frame sent again later will.
DATABASE_AWAY = (OperationalError, InterfaceError)


class DatabaseWatch:
    """When this process last found the database unreachable. A socket reads nothing, pings
    included, while a frame waits for a connection, so once one frame has waited in vain the
    frames that follow in the next UNAVAILABLE_RETRY_AFTER seconds are refused at once rather
    than each waiting too: a client's keep-alive then still gets its answer. Local to the
    process on purpose: it is this process's own view of its connections, nothing shared."""

    def __init__(self) -> None:
        self.until = 0.0

    def failed(self) -> None:
        self.until = time.monotonic() + UNAVAILABLE_RETRY_AFTER

    def check(self, kind: str) -> None:
        if kind not in WITHOUT_DATABASE and time.monotonic() < self.until:
            raise DatabaseRecentlyAway("the database was unreachable a moment ago")


database_watch = DatabaseWatch()


def in_room[T](member, room_id: int, work: Callable[[Room], T]) -> T:
    """Check membership and do the work in one trip to the database thread pool: each hop
    costs, and a send is the hot path."""
    room = queries.room_for(member, room_id)
    if room is None:
        raise BadFrame("not_found", "No such room.")
    return work(room)


def send_counted(member, room_id: int, body: str, client_id: str) -> dict:
    """Count the send against the member's rate, then store it (idempotent on client_id); the
    service checks membership under the room lock, in the same query."""
    check_send(member.pk)
    sent = services.send_message(
        member=member, room=Room(pk=room_id), body=body, client_id=client_id
    )
    return sent.ack()


class ChatConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict) -> None:
        """As channels' own dispatch, but without its aclose_old_connections() before every
        message: that is a hop to the process's single sync thread, so a wake-up to a room of
        500 sockets queued 500 hops one behind another. Every database call here goes through
        database_sync_to_async, which closes old connections itself, in its own thread.
        tests/messaging/test_consumer_dispatch.py fails if channels' dispatch changes."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        """Accept signed-in, active members (managers and administrators after MFA) only;
        anyone else's handshake is refused, and so is everyone's while the database is away
        (one log line; the client tries again with its back-off)."""
        try:
            self.member = await database_sync_to_async(socket_member_for)(
                self.scope["user"], self.scope["session"]
            )
        except DATABASE_AWAY as error:
            log.warning("chat handshake refused: database unreachable (%s)", type(error).__name__)
            self.member = None
        if self.member is None:
            await self.close()
            return
        # room id -> highest change number this socket has passed on (live or replayed)
        self.rooms: dict[int, int] = {}
        self.typing_at: dict[int, float] = {}
        self.show_presence = await database_sync_to_async(queries.presence_shown)(self.member)
        self.session_key = self.scope["session"].session_key or ""
        await self.layer_call("group_add", session_group(self.session_key), self.channel_name)
        await self.accept()
        await self.send_frame(
            {
                "type": "hello",
                "member": {"id": self.member.pk, "name": self.member.name},
                "presence": self.show_presence,
                "limits": {"body": services.MAX_BODY, "frame_bytes": frames.MAX_FRAME_BYTES},
            }
        )
        self.later: set[asyncio.Task] = set()
        watch.add(self)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "member", None) is None:
            return
        watch.discard(self)
        for task in list(self.later):
            task.cancel()
        for room in list(self.rooms):
            if self.show_presence:
                await self.announce_presence(room, online=False)
            await self.layer_call("group_discard", room_group(room), self.channel_name)
        await self.layer_call("group_discard", session_group(self.session_key), self.channel_name)

    # Incoming frames ---------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """Parse, dispatch by ``type``, and answer any refusal with an error frame that
        carries the frame's ``ref``, ``room`` and ``client_id`` when it had them."""
        frame: dict = {}
        try:
            frame = frames.parse(text_data)
            kind = frames.frame_type(frame)
            handler = self.handlers.get(kind)
            if handler is None:
                raise BadFrame("unknown_type", f"Unknown frame type {frame['type']!r}.")
            database_watch.check(kind)
            await handler(self, frame)
        except (BadFrame, services.ChatRefused) as refusal:
            await self.send_error(refusal.code, refusal.message, **self.echo(frame))
        except RateLimited as limited:
            await self.send_error(
                "rate_limited",
                "Too many messages; try again shortly.",
                retry_after=limited.retry_after,
                **self.echo(frame),
            )
        except DATABASE_AWAY as error:
            await self.database_away(frame, error)

    async def database_away(self, frame: dict, error: Exception) -> None:
        """The database could not be reached: nothing was stored or read, so the client is
        told to send the same frame again (a send keeps its client_id, so a resend whose first
        try did reach the database is stored once). The socket stays open; one line is logged
        for each frame that waited for the database in vain, not a traceback, and none for the
        frames refused at once after it (DatabaseWatch)."""
        if not isinstance(error, DatabaseRecentlyAway):
            database_watch.failed()
            log.warning(
                "chat %s answered 'unavailable': database unreachable (%s)",
                frame.get("type"),
                type(error).__name__,
            )
        await self.send_error(
            "unavailable",
            "Chat is briefly unavailable; nothing was changed. Send the same frame again.",
            retry_after=UNAVAILABLE_RETRY_AFTER,
            **self.echo(frame),
        )

    @staticmethod
    def echo(frame: dict) -> dict:
        """What an error repeats of the frame it answers, so the client can match them."""
        extra = {name: frame[name] for name in ("ref", "client_id") if name in frame}
        room = frame.get("room")
        if isinstance(room, int) and not isinstance(room, bool):
            extra["room"] = room
        return extra

    async def send_error(self, code: str, message: str, **extra: Any) -> None:
        await self.send_frame({"type": "error", "code": code, "message": message, **extra})

    async def in_room[T](self, frame: dict, work: Callable[[Room], T]) -> T:
        """Do the work in the frame's room, membership checked now (not at subscribe)."""
        return await database_sync_to_async(in_room)(self.member, frames.room_id(frame), work)

    async def on_rooms(self, frame: dict) -> None:
        """Every room the member is in, with its number and read marker: how a client that
        only speaks the socket protocol finds its rooms (the page gives them to the browser,
        which never asks, so a reconnecting crowd does not pay for it)."""
        rooms = await database_sync_to_async(queries.rooms_of)(self.member)
        await self.send_frame({"type": "rooms", "ref": frame.get("ref"), "rooms": rooms})

    async def on_subscribe(self, frame: dict) -> None:
        """Join rooms; each gets its number and read marker so the client can replay."""
        ids = frames.room_ids(frame)
        opened, missing = await database_sync_to_async(queries.open_rooms)(self.member, ids)
        for info in opened:
            room = info["id"]
            if room not in self.rooms:
                await self.layer_call("group_add", room_group(room), self.channel_name)
                self.rooms[room] = info["last_seq"]
                if self.show_presence:
                    await self.announce_presence(room, online=True)
        await self.send_frame({"type": "subscribed", "ref": frame.get("ref"), "rooms": opened})
        for room in missing:
            await self.send_error("not_found", "No such room.", ref=frame.get("ref"), room=room)

    async def on_unsubscribe(self, frame: dict) -> None:
        """Stop the room's live frames to this socket; no answer."""
        for room in frames.room_ids(frame, at_least=0):
            if room in self.rooms:
                del self.rooms[room]
                await self.layer_call("group_discard", room_group(room), self.channel_name)

    async def on_send(self, frame: dict) -> None:
        """Store the message (once per client_id) and acknowledge it with its id and number."""
        room, client_id, body = frames.room_id(frame), frames.client_id(frame), frames.body(frame)
        ack = await database_sync_to_async(send_counted)(self.member, room, body, client_id)
        await self.send_frame({**ack, "ref": frame.get("ref")})

    async def on_edit(self, frame: dict) -> None:
        """Replace the text of the member's own message; it takes the room's next number."""
        message_id, body = frames.count(frame, "id"), frames.body(frame)
        message = await self.in_room(
            frame,
            lambda room: services.edit_message(
                member=self.member, room=room, message_id=message_id, body=body
            ),
        )
        await self.send_frame(self.change_ack(frame, message))

    async def on_delete(self, frame: dict) -> None:
        """Leave a tombstone for the member's own message, numbered like an edit."""
        message_id = frames.count(frame, "id")
        message = await self.in_room(
            frame,
            lambda room: services.delete_message(
                member=self.member, room=room, message_id=message_id
            ),
        )
        await self.send_frame(self.change_ack(frame, message))

    @staticmethod
    def change_ack(frame: dict, message) -> dict:
        return {
            "type": "ack",
            "ref": frame.get("ref"),
            "room": message.room_id,
            "id": message.pk,
            "seq": message.seq,
            "rev": message.rev,
        }

    async def on_replay(self, frame: dict) -> None:
        """Everything that changed after ``since``, from the database, in order of change."""
        since = frames.count(frame, "since")
        reply = await self.in_room(frame, lambda room: queries.replay(room, since))
        self.rooms[reply["room"]] = max(self.rooms.get(reply["room"], 0), reply["upto"])
        await self.send_frame({**reply, "ref": frame.get("ref")})

    async def on_history(self, frame: dict) -> None:
        """Up to ``limit`` (at most 100) messages before ``before``, oldest first."""
        before = frames.count(frame, "before")
        limit = min(frames.count(frame, "limit", 50), 100)
        reply = await self.in_room(frame, lambda room: queries.history(room, before, limit))
        await self.send_frame({**reply, "ref": frame.get("ref")})

    async def on_read(self, frame: dict) -> None:
        """Move the read marker forward (never back, never past the room's counter)."""
        seq = frames.count(frame, "seq")
        upto = await self.in_room(
            frame, lambda room: services.mark_read(member=self.member, room=room, seq=seq)
        )
        await self.send_frame(
            {"type": "read", "room": frame["room"], "member": self.member.pk, "seq": upto}
        )

    async def on_receipts(self, frame: dict) -> None:
        """Whether the others in the room see how far the member has read."""
        enabled = frames.flag(frame, "enabled")
        await self.in_room(
            frame,
            lambda room: services.set_receipts(member=self.member, room=room, enabled=enabled),
        )
        await self.send_frame({"type": "receipts", "room": frame["room"], "enabled": enabled})

    async def on_typing(self, frame: dict) -> None:
        """Best-effort and rate-limited: too frequent signals are dropped without an error."""
        room = frames.room_id(frame)
        if room not in self.rooms:
            raise BadFrame("not_found", "Subscribe to the room first.")
        now = time.monotonic()
        if not self.show_presence or now - self.typing_at.get(room, 0) < TYPING_INTERVAL:
            return
        self.typing_at[room] = now
        await self.layer_call(
            "group_send",
            room_group(room),
            {"type": "chat.typing", "room": room, "member": self.who()},
        )

    async def on_presence(self, frame: dict) -> None:
        """Show or hide oneself (``visible``), or ask who in a room is online (``room``)."""
        if "visible" in frame:
            visible = frames.flag(frame, "visible")
            await database_sync_to_async(services.set_presence_shown)(
                member=self.member, shown=visible
            )
            self.show_presence = visible
            for room in self.rooms:
                await self.announce_presence(room, online=visible)
            await self.send_frame({"type": "presence", "visible": visible})
            return
        room = frames.room_id(frame)
        if room not in self.rooms:
            raise BadFrame("not_found", "Subscribe to the room first.")
        await self.layer_call(
            "group_send",
            room_group(room),
            {"type": "chat.presence_query", "room": room, "reply_to": self.channel_name},
        )

    async def on_ping(self, frame: dict) -> None:
        """A heartbeat: answered at once, with its ``ref``."""
        await self.send_frame({"type": "pong", "ref": frame.get("ref")})

    handlers = {
        "rooms": on_rooms,
        "subscribe": on_subscribe,
        "unsubscribe": on_unsubscribe,
        "send": on_send,
        "edit": on_edit,
        "delete": on_delete,
        "replay": on_replay,
        "history": on_history,
        "read": on_read,
        "receipts": on_receipts,
        "typing": on_typing,
        "presence": on_presence,
        "ping": on_ping,
    }

    # Channel-layer events (wake-ups from any server process) -----------------------------

    async def chat_message(self, event: dict) -> None:
        room = event["room"]
        if room in self.rooms:
            self.rooms[room] = max(self.rooms[room], event["rev"])
            await self.send(text_data=event["text"])

    async def chat_read(self, event: dict) -> None:
        if event["room"] in self.rooms and event["member"] != self.member.pk:
            await self.send_frame({**event, "type": "read"})

    async def chat_typing(self, event: dict) -> None:
        if event["room"] in self.rooms and event["member"]["id"] != self.member.pk:
            await self.send_frame({**event, "type": "typing"})

    async def chat_presence(self, event: dict) -> None:
        if event["room"] in self.rooms and event["member"]["id"] != self.member.pk:
            await self.send_frame({**event, "type": "presence"})

    async def chat_presence_query(self, event: dict) -> None:
        if event["room"] in self.rooms and self.show_presence:
            await self.layer_call(
                "send",
                event["reply_to"],
                {
                    "type": "chat.presence",
                    "room": event["room"],
                    "member": self.who(),
                    "online": True,
                },
            )

    async def chat_session_ended(self, event: dict) -> None:
        await self.close(code=CLOSE_SESSION_ENDED)

    # Helpers -----------------------------------------------------------------------------

    def who(self) -> dict:
        return {"id": self.member.pk, "name": self.member.name}

    async def announce_presence(self, room: int, *, online: bool) -> None:
        await self.layer_call(
            "group_send",
            room_group(room),
            {"type": "chat.presence", "room": room, "member": self.who(), "online": online},
        )

    async def send_frame(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame, separators=(",", ":")))

    async def layer_call(self, method: str, *args: Any) -> None:
        """Use the channel layer without ever failing the socket: it only carries hints."""
        try:
            await asyncio.wait_for(getattr(self.channel_layer, method)(*args), LAYER_TIMEOUT)
        except REDIS_AWAY:  # the periodic re-check covers it; sends say Redis is away
            log.debug("chat layer %s failed", method, exc_info=True)
        except Exception as error:  # slow, or unexpected: one line, not a traceback
            log.warning("chat layer %s failed (%s)", method, type(error).__name__)

    def check(self) -> queries.SocketCheck:
        return queries.SocketCheck(
            self.scope["user"].pk, self.session_key, self.member.pk, tuple(self.rooms)
        )

    async def apply_recheck(self, checked: queries.SocketCheck, state: dict) -> None:
        """Close the socket when the session ended or the member was deactivated, drop rooms
        the member has left, and point out changes whose wake-up the layer lost. Rooms
        subscribed while the check ran are left for the next one."""
        if not state["signed_in"]:
            watch.discard(self)
            await self.close(code=CLOSE_SESSION_ENDED)
            return
        await self.rejoin_groups()
        for room in [room for room in checked.rooms if room in self.rooms]:
            if room not in state["rooms"]:
                del self.rooms[room]
                await self.layer_call("group_discard", room_group(room), self.channel_name)
                await self.send_error("not_found", "You are no longer in this room.", room=room)
            elif state["rooms"][room] > self.rooms[room]:
                # Usually the wake-up is still on its way (committed a moment ago): only a
                # change that has not arrived after a grace period was lost. Telling every
                # socket at once would send a whole room to replay from the database.
                task = asyncio.create_task(self.wake_if_still_behind(room, state["rooms"][room]))
                self.later.add(task)
                task.add_done_callback(self.later.discard)

    async def wake_if_still_behind(self, room: int, seq: int) -> None:
        await asyncio.sleep(WAKE_GRACE_SECONDS)
        if room in self.rooms and self.rooms[room] < seq:
            self.rooms[room] = seq
            try:
                await self.send_frame({"type": "wake", "room": room, "last_seq": seq})
            except Exception:  # the socket closed meanwhile
                log.debug("wake for a closed socket dropped", exc_info=True)

    async def rejoin_groups(self) -> None:
        """Group memberships live in Redis with the core layer and vanish if Redis restarts;
        adding again is cheap and idempotent."""
        await self.layer_call("group_add", session_group(self.session_key), self.channel_name)
        for room in self.rooms:
            await self.layer_call("group_add", room_group(room), self.channel_name)
