// The chat connection: one WebSocket per tab, reconnecting, with an outbox and replay.
//
// The server numbers every change in a room (rev). We keep the highest rev applied per room;
// a live frame that skips a number, a "wake" frame, or a reconnect makes us ask for a replay
// from the database, so nothing is lost and nothing is applied twice.

const OUTBOX_KEY = "convene-chat-outbox";
const PING_EVERY = 25000;
const PONG_WITHIN = 10000;
const TRY_AGAIN = new Set(["rate_limited", "unavailable"]); // errors that say "send it again"

export class ChatConnection {
  constructor({ url, onMessage, onFrame, onStatus }) {
    this.url = url;
    this.onMessage = onMessage; // (message, {live}) for each change, exactly once, in order
    this.onFrame = onFrame; // every other server frame
    this.onStatus = onStatus; // "online" | "offline"
    this.rooms = new Map(); // room id -> {last, replaying, seenMax}
    this.outbox = new Map(loadOutbox()); // client_id -> send frame
    this.retryDelay = 500;
    this.socket = null;
    this.pingTimer = null;
    this.pongTimer = null;
    window.addEventListener("online", () => this.connectSoon(0));
    window.addEventListener("offline", () => this.socket && this.socket.close());
  }

  // A room whose every change we must have (the open one).
  watch(room, last) {
    this.rooms.set(room, { last, replaying: false, seenMax: last, listOnly: false });
  }

  // A room in the list: live frames only, for its unread badge; no replay.
  watchList(room) {
    if (!this.rooms.has(room)) this.rooms.set(room, { listOnly: true });
  }

  connect() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener("open", () => this.opened());
    socket.addEventListener("message", (event) => this.received(event.data));
    socket.addEventListener("close", () => this.closed(socket));
  }

  connectSoon(delay) {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      if (!this.socket || this.socket.readyState === WebSocket.CLOSED) this.connect();
    }, delay);
  }

  opened() {
    this.retryDelay = 500;
    this.onStatus("online");
    const ids = [...this.rooms.keys()];
    if (ids.length) this.raw({ type: "subscribe", rooms: ids });
    for (const [room, state] of this.rooms) {
      if (state.listOnly) continue;
      state.replaying = false;
      this.replay(room, state);
    }
    for (const frame of this.outbox.values()) this.raw(frame);
    this.heartbeat();
  }

  closed(socket) {
    if (socket !== this.socket) return;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.onStatus("offline");
    const delay = this.retryDelay * (0.75 + Math.random() / 2);
    this.retryDelay = Math.min(this.retryDelay * 2, 10000);
    this.connectSoon(delay);
  }

  heartbeat() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      this.raw({ type: "ping" });
      clearTimeout(this.pongTimer);
      // A cut network often closes nothing: no answer means the socket is dead.
      this.pongTimer = setTimeout(() => this.socket && this.socket.close(), PONG_WITHIN);
    }, PING_EVERY);
  }

  isOpen() {
    return this.socket && this.socket.readyState === WebSocket.OPEN;
  }

  raw(frame) {
    if (this.isOpen()) this.socket.send(JSON.stringify(frame));
  }

  request(frame) {
    this.raw(frame);
  }

  // Sending is kept until acknowledged; a resend carries the same client_id, so the server
  // stores it once whatever happens to the connection in between.
  sendMessage(room, body) {
    const clientId = crypto.randomUUID();
    const frame = { type: "send", room, client_id: clientId, body };
    this.outbox.set(clientId, frame);
    saveOutbox(this.outbox);
    this.raw(frame);
    return clientId;
  }

  pending() {
    return [...this.outbox.values()];
  }

  replay(room, state) {
    if (state.replaying || !this.isOpen()) return;
    state.replaying = true;
    this.raw({ type: "replay", room, since: state.last });
  }

  received(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    switch (frame.type) {
      case "message":
        return this.live(frame.message);
      case "replay":
        return this.replayed(frame);
      case "wake": {
        const state = this.rooms.get(frame.room);
        if (state && !state.listOnly && frame.last_seq > state.last) this.replay(frame.room, state);
        return;
      }
      case "ack":
        if (frame.client_id && this.outbox.delete(frame.client_id)) saveOutbox(this.outbox);
        return this.onFrame(frame);
      case "pong":
        return clearTimeout(this.pongTimer);
      case "error":
        if (TRY_AGAIN.has(frame.code)) this.tryAgainLater(frame);
        else if (frame.client_id && this.outbox.delete(frame.client_id)) saveOutbox(this.outbox);
        return this.onFrame(frame);
      default:
        return this.onFrame(frame);
    }
  }

  // Nothing was done (too fast, or the server's database briefly away): the same send goes
  // again with its client_id, a refused replay is asked for again, and anything else (a
  // subscribe) starts over from a fresh connection, which subscribes, replays and resends.
  tryAgainLater(frame) {
    const wait = Math.ceil(frame.retry_after * 1000) + 50;
    if (frame.client_id) {
      const again = this.outbox.get(frame.client_id);
      if (again) setTimeout(() => this.raw(again), wait);
      return;
    }
    const state = this.rooms.get(frame.room);
    if (state && state.replaying) {
      state.replaying = false;
      setTimeout(() => this.replay(frame.room, state), wait);
    } else if (frame.code === "unavailable") {
      setTimeout(() => this.socket && this.socket.close(), wait);
    }
  }

  live(message) {
    const state = this.rooms.get(message.room);
    if (!state) return;
    if (state.listOnly) return this.onMessage(message, { live: true });
    if (message.rev <= state.last) return; // already applied
    if (message.rev === state.last + 1 && !state.replaying) {
      state.last = message.rev;
      this.onMessage(message, { live: true });
      return;
    }
    state.seenMax = Math.max(state.seenMax, message.rev);
    this.replay(message.room, state); // a gap: the database fills it
  }

  replayed(frame) {
    const state = this.rooms.get(frame.room);
    if (!state || state.listOnly) return;
    for (const message of frame.messages) {
      if (message.rev > state.last) this.onMessage(message, { live: false });
    }
    state.last = Math.max(state.last, frame.upto);
    state.replaying = false;
    if (frame.more || state.seenMax > state.last) this.replay(frame.room, state);
  }
}

function loadOutbox() {
  try {
    return JSON.parse(sessionStorage.getItem(OUTBOX_KEY) || "[]");
  } catch {
    return [];
  }
}

function saveOutbox(outbox) {
  try {
    sessionStorage.setItem(OUTBOX_KEY, JSON.stringify([...outbox]));
  } catch {
    // Storage full or refused: the outbox still lives in memory for this tab.
  }
}
