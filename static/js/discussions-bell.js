// The header bell: the page shows the count the cache had; this keeps it current.
const link = document.querySelector(".convene-bell[data-count-url]");

async function refresh() {
  if (!link) return;
  try {
    const response = await fetch(link.dataset.countUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const { unread } = await response.json();
    const badge = link.querySelector("[data-bell-count]");
    link.querySelector("[data-bell-number]").textContent = unread > 0 ? String(unread) : "";
    badge.hidden = !(unread > 0);
  } catch {
    // Offline or signed out: keep what the page showed.
  }
}

refresh();
setInterval(refresh, 30000);
document.addEventListener("discussions:bell", refresh);
