// The chat page: room list badges, the open room's messages, composer, unread marker,
// "jump to new messages", reconnect banner and a screen-reader announcer.

import { ChatConnection } from "./chat-socket.js";
import { renderText } from "./chat-text.js";

const root = document.getElementById("chat");
const log = document.getElementById("chat-log");
const scroller = log.parentElement;
const composer = document.getElementById("chat-composer");
const input = composer.querySelector("textarea");
const announcer = document.getElementById("chat-announcer");
const offline = document.getElementById("chat-offline");
const jump = document.getElementById("chat-jump");
const older = document.getElementById("chat-older");
const typingLine = document.getElementById("chat-typing");
const presenceLine = document.getElementById("chat-presence");
const seenLine = document.getElementById("chat-seen");
const presenceBox = document.getElementById("chat-show-presence");
const receiptsBox = document.getElementById("chat-receipts");

const me = Number(root.dataset.member);
const roomId = Number(root.dataset.room);
let readUpto = Number(root.dataset.readUpto);
let hasOlder = root.dataset.historyMore === "true";
let unseenBelow = 0;
let lastTypingSent = 0;
let typingTimer = null;
const online = new Map();
const names = new Map();

// Times as the server writes them (network.timezones.clock): "5:39 PM" in the member's own
// time zone (from their profile, given by the page), whatever the browser's zone or language.
const timeFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: root.dataset.timeZone,
  hour: "numeric",
  minute: "2-digit",
  hour12: true,
});
const scheme = location.protocol === "https:" ? "wss" : "ws";
const connection = new ChatConnection({
  url: `${scheme}://${location.host}/ws/`,
  onMessage: applyMessage,
  onFrame: handleFrame,
  onStatus: (status) => offline.classList.toggle("chat-hidden", status === "online"),
});

for (const item of document.querySelectorAll("#chat-room-list [data-room]")) {
  connection.watchList(Number(item.dataset.room));
}
connection.watch(roomId, Number(root.dataset.lastSeq));
for (const item of log.querySelectorAll(".chat-message")) decorate(item);
for (const frame of connection.pending()) {
  if (frame.room === roomId) showPending(frame.client_id, frame.body);
}
scrollToEnd();
connection.connect();
publishUnread();

// Messages -------------------------------------------------------------------------------

function applyMessage(message, { live }) {
  roomListUpdate(message);
  if (message.room !== roomId) return;
  names.set(message.sender.id, message.sender.name);
  const existing =
    log.querySelector(`[data-id="${message.id}"]`) ||
    (message.sender.id === me && log.querySelector(`[data-client-id="${message.client_id}"]`));
  const nearEnd = isNearEnd();
  const item = renderMessage(message);
  if (existing) {
    existing.replaceWith(item);
  } else {
    insertInOrder(item);
    if (message.sender.id !== me && !message.deleted) {
      announce(`${message.sender.name}: ${message.body}`);
      if (!nearEnd) unseenBelow += 1;
    }
  }
  document.getElementById("chat-empty")?.remove();
  if (nearEnd || message.sender.id === me) scrollToEnd();
  jump.classList.toggle("chat-hidden", unseenBelow === 0);
  if (live || nearEnd) markReadSoon();
  publishUnread();
}

function renderMessage(message) {
  const item = document.createElement("li");
  item.className = "chat-message" + (message.deleted ? " chat-message--deleted" : "");
  item.dataset.id = message.id;
  item.dataset.seq = message.seq;
  item.dataset.rev = message.rev;
  item.dataset.sender = message.sender.id;
  const meta = document.createElement("span");
  meta.className = "chat-message__meta";
  const who = document.createElement("strong");
  who.textContent = message.sender.name;
  const when = document.createElement("time");
  when.dateTime = message.created_at;
  when.textContent = clock(message.created_at);
  meta.append(avatarFor(message.sender), " ", who, " ", when);
  if (message.edited && !message.deleted) meta.append(" (edited)");
  const body = document.createElement("span");
  body.className = "chat-message__body";
  if (message.deleted) {
    const em = document.createElement("em");
    em.textContent = "Message deleted";
    body.append(em);
  } else {
    renderText(body, message.body);
  }
  item.append(meta, body);
  decorate(item);
  return item;
}

function clock(isoTime) {
  const parts = Object.fromEntries(
    timeFormat.formatToParts(new Date(isoTime)).map((part) => [part.type, part.value]),
  );
  return `${parts.hour}:${parts.minute} ${parts.dayPeriod.toUpperCase()}`;
}

// The sender's initials on their colour, as network/avatars.py draws them on the server
// (messages in the page's history): the same letters and the same hue for the same member.
function avatarFor(sender) {
  const words = sender.name.split(/\s+/).filter((word) => /^[\p{L}\p{N}]/u.test(word));
  const first = (word) => Array.from(word)[0];
  const letters = words.length ? first(words[0]) + (words.length > 1 ? first(words.at(-1)) : "") : "?";
  const avatar = document.createElement("span");
  avatar.className = `convene-avatar convene-avatar--sm convene-avatar--hue-${sender.id % 8}`;
  avatar.setAttribute("aria-hidden", "true");
  avatar.textContent = letters.toUpperCase();
  return avatar;
}

function showPending(clientId, body) {
  const item = document.createElement("li");
  item.className = "chat-message chat-message--pending";
  item.dataset.clientId = clientId;
  item.dataset.seq = String(Number.MAX_SAFE_INTEGER);
  const meta = document.createElement("span");
  meta.className = "chat-message__meta";
  const who = document.createElement("strong");
  who.textContent = "You";
  meta.append(who);
  const text = document.createElement("span");
  text.className = "chat-message__body";
  renderText(text, body);
  item.append(meta, text);
  log.append(item);
  document.getElementById("chat-empty")?.remove();
  scrollToEnd();
}

function insertInOrder(item) {
  const seq = Number(item.dataset.seq);
  const after = [...log.querySelectorAll(".chat-message")].find(
    (other) => Number(other.dataset.seq) > seq,
  );
  log.insertBefore(item, after || null);
}

// Edit and delete buttons on one's own messages.
function decorate(item) {
  if (Number(item.dataset.sender) !== me || item.classList.contains("chat-message--deleted")) return;
  const actions = document.createElement("span");
  actions.className = "chat-message__actions";
  actions.append(button("Edit", () => startEdit(item)), button("Delete", () => remove(item)));
  item.append(actions);
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "usa-button usa-button--unstyled";
  b.textContent = label;
  b.addEventListener("click", onClick);
  return b;
}

function startEdit(item) {
  const body = item.querySelector(".chat-message__body");
  const form = document.createElement("form");
  const id = `edit-${item.dataset.id}`;
  const label = document.createElement("label");
  label.className = "usa-label";
  label.htmlFor = id;
  label.textContent = "Edit message";
  const area = document.createElement("textarea");
  area.className = "usa-textarea";
  area.id = id;
  area.maxLength = 4000;
  area.value = body.textContent;
  const save = button("Save", () => form.requestSubmit());
  save.type = "submit";
  const cancel = button("Cancel", () => form.replaceWith(body));
  form.append(label, area, save, cancel);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = area.value.trim();
    if (text) connection.request({ type: "edit", room: roomId, id: Number(item.dataset.id), body: text });
    form.replaceWith(body);
  });
  area.addEventListener("keydown", (event) => event.key === "Escape" && form.replaceWith(body));
  body.replaceWith(form);
  area.focus();
}

function remove(item) {
  if (window.confirm("Delete this message? Others will see that a message was deleted.")) {
    connection.request({ type: "delete", room: roomId, id: Number(item.dataset.id) });
  }
}

// Frames other than messages -------------------------------------------------------------

function handleFrame(frame) {
  switch (frame.type) {
    case "hello":
      presenceBox.checked = frame.presence;
      presenceBox.disabled = false;
      receiptsBox.disabled = false;
      return;
    case "subscribed":
      if (frame.rooms.some((room) => room.id === roomId)) {
        connection.request({ type: "presence", room: roomId });
      }
      return;
    case "ack": {
      const pending = frame.client_id && log.querySelector(`[data-client-id="${frame.client_id}"]`);
      if (pending && !pending.dataset.id) {
        pending.dataset.id = frame.id;
        pending.dataset.seq = frame.seq;
        pending.classList.remove("chat-message--pending");
      }
      return;
    }
    case "history":
      return prependHistory(frame);
    case "typing":
      if (frame.room !== roomId) return;
      typingLine.textContent = `${frame.member.name} is typing…`;
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => (typingLine.textContent = ""), 4000);
      return;
    case "presence":
      if (frame.room !== roomId) return;
      if (frame.online) online.set(frame.member.id, frame.member.name);
      else online.delete(frame.member.id);
      online.delete(me);
      presenceLine.textContent = online.size ? `Online now: ${[...online.values()].join(", ")}` : "";
      return;
    case "read":
      if (frame.room === roomId && frame.member !== me) {
        const name = names.get(frame.member) || "Someone";
        seenLine.textContent = `${name} has read up to message ${frame.seq}.`;
      }
      return;
    case "error":
      return showError(frame);
    default:
      return;
  }
}

function showError(frame) {
  if (frame.code === "rate_limited") {
    announce(`Sending too fast; your message will be sent in ${Math.ceil(frame.retry_after)} seconds.`);
    return;
  }
  if (frame.code === "unavailable") {
    if (frame.client_id) announce("Chat is briefly unavailable; your message will be sent again shortly.");
    return;
  }
  if (frame.client_id) {
    const pending = log.querySelector(`[data-client-id="${frame.client_id}"]`);
    pending?.remove();
  }
  announce(`Not sent: ${frame.message}`);
}

// A new message in any room shows in its entry of the list as the server draws it after a
// reload: last message, unread count (not for the open room) and the entry moved to the top.
function roomListUpdate(message) {
  const item = document.querySelector(`#chat-room-list [data-room="${message.room}"]`);
  if (!item || message.rev !== message.seq || message.deleted) return;
  const last = item.querySelector(".chat-room__last");
  last.textContent = `${message.sender.name}: ${truncated(message.body, 60)}`;
  item.parentElement.prepend(item);
  if (message.sender.id === me || message.room === roomId) return;
  const badge = item.querySelector(".chat-room__unread");
  const count = Number(badge.dataset.unread) + 1;
  badge.dataset.unread = count;
  badge.firstChild.textContent = String(count);
  badge.classList.remove("chat-hidden");
  publishUnread();
}

// As Django's truncatechars: at most `size` characters, the last one an ellipsis.
function truncated(text, size) {
  const chars = [...text];
  return chars.length > size ? chars.slice(0, size - 1).join("") + "…" : text;
}

function listBadge(room) {
  return document.querySelector(`#chat-room-list [data-room="${room}"] .chat-room__unread`);
}

// The header badge's total: the other rooms' list badges plus what is unread in this room
// (counted in the log, or the server's count while older unread messages are not loaded).
function publishUnread() {
  let total = 0;
  for (const item of document.querySelectorAll("#chat-room-list [data-room]")) {
    if (Number(item.dataset.room) !== roomId) total += Number(listBadge(item.dataset.room).dataset.unread);
  }
  // The other rooms' count on the "Rooms" control, which a phone shows instead of the list.
  const others = document.getElementById("chat-rooms-unread");
  others.firstChild.textContent = String(total);
  others.hidden = total === 0;
  const unreadHere = [...log.querySelectorAll(".chat-message[data-id]")].filter(
    (m) =>
      Number(m.dataset.seq) > readUpto &&
      Number(m.dataset.sender) !== me &&
      !m.classList.contains("chat-message--deleted"),
  ).length;
  const current = listBadge(roomId);
  total += unreadHere && current ? Math.max(unreadHere, Number(current.dataset.unread)) : unreadHere;
  document.dispatchEvent(new CustomEvent("chat:unread", { detail: { total } }));
}

// History, scrolling, reading ------------------------------------------------------------

function loadOlder() {
  const first = log.querySelector(".chat-message[data-id]");
  if (!hasOlder || !first) return;
  hasOlder = false;
  connection.request({ type: "history", room: roomId, before: Number(first.dataset.seq), limit: 50 });
}

function prependHistory(frame) {
  if (frame.room !== roomId) return;
  const height = scroller.scrollHeight;
  for (const message of frame.messages) {
    if (!log.querySelector(`[data-id="${message.id}"]`)) insertInOrder(renderMessage(message));
  }
  scroller.scrollTop += scroller.scrollHeight - height;
  hasOlder = frame.more;
  older?.classList.toggle("chat-hidden", !hasOlder);
}

function isNearEnd() {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
}

function scrollToEnd() {
  scroller.scrollTop = scroller.scrollHeight;
  unseenBelow = 0;
  jump.classList.add("chat-hidden");
}

let readTimer = null;
function markReadSoon() {
  clearTimeout(readTimer);
  readTimer = setTimeout(() => {
    if (document.visibilityState !== "visible" || !isNearEnd()) return;
    const seqs = [...log.querySelectorAll(".chat-message[data-id]")].map((m) => Number(m.dataset.seq));
    const top = Math.max(0, ...seqs);
    if (top > readUpto) {
      readUpto = top;
      connection.request({ type: "read", room: roomId, seq: top });
      publishUnread();
    }
  }, 500);
}

function announce(text) {
  const line = document.createElement("p");
  line.textContent = text;
  announcer.append(line);
  while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
}

// Wiring ---------------------------------------------------------------------------------

composer.addEventListener("submit", (event) => {
  event.preventDefault();
  const body = input.value;
  if (!body.trim()) return;
  const clientId = connection.sendMessage(roomId, body);
  showPending(clientId, body);
  input.value = "";
  input.focus();
});
// On touch screens Enter makes a new line (the Send button sends), as in other chat apps; the
// hint that says otherwise is hidden there too (chat.css).
const touch = window.matchMedia("(hover: none) and (pointer: coarse)");
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch.matches) {
    event.preventDefault();
    composer.requestSubmit();
  }
});
input.addEventListener("input", () => {
  const now = Date.now();
  if (now - lastTypingSent > 3000) {
    lastTypingSent = now;
    connection.request({ type: "typing", room: roomId });
  }
});
scroller.addEventListener("scroll", () => {
  if (scroller.scrollTop < 20) loadOlder();
  if (isNearEnd()) {
    unseenBelow = 0;
    jump.classList.add("chat-hidden");
    markReadSoon();
  }
});
jump.addEventListener("click", () => {
  scrollToEnd();
  log.focus();
  markReadSoon();
});
older?.classList.toggle("chat-hidden", !hasOlder);
older?.addEventListener("click", loadOlder);
document.addEventListener("visibilitychange", markReadSoon);
presenceBox.addEventListener("change", () =>
  connection.request({ type: "presence", visible: presenceBox.checked }),
);
receiptsBox.addEventListener("change", () =>
  connection.request({ type: "receipts", room: roomId, enabled: receiptsBox.checked }),
);
markReadSoon();
