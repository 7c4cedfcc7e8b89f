// The header's chat badge. The page shows the total the cache had; this asks for it when the
// cache had none, keeps it current, and on the chat page follows the live counts (chat.js
// sends a "chat:unread" event whenever they change).
import { fetchCount, showCount } from "./unread-count.js";

const badge = document.querySelector("[data-chat-unread]");
const number = badge?.querySelector("[data-chat-unread-number]");

async function refresh() {
  const total = await fetchCount(badge.dataset.countUrl);
  if (total !== null) showCount(badge, number, total);
}

if (badge) {
  document.addEventListener("chat:unread", (event) => showCount(badge, number, event.detail.total));
  // The chat page counts live over its socket; other pages ask now and then.
  if (!document.getElementById("chat")) {
    if (badge.dataset.known === undefined) refresh();
    setInterval(refresh, 60000);
  }
}
