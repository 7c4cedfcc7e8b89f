// The header's chat badge. The page shows the total the cache had; this asks for it when the
// cache had none, keeps it current, and on the chat page follows the live counts (chat.js
// sends a "chat:unread" event whenever they change).
const badge = document.querySelector("[data-chat-unread]");
const number = badge?.querySelector("[data-chat-unread-number]");

function show(total) {
  if (!badge) return;
  number.textContent = total > 0 ? String(total) : "";
  badge.hidden = !(total > 0);
}

async function refresh() {
  if (!badge) return;
  try {
    const response = await fetch(badge.dataset.countUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const { unread } = await response.json();
    show(unread);
  } catch {
    // Offline or signed out: keep what the page showed.
  }
}

document.addEventListener("chat:unread", (event) => show(event.detail.total));
// The chat page counts live over its socket; other pages ask now and then.
if (badge && !document.getElementById("chat")) {
  if (badge.dataset.known === undefined) refresh();
  setInterval(refresh, 60000);
}
