// The header bell: the page shows the count the cache had; this keeps it current.
import { fetchCount, showCount } from "./unread-count.js";

const link = document.querySelector(".convene-bell[data-count-url]");

async function refresh() {
  const total = await fetchCount(link.dataset.countUrl);
  if (total !== null) {
    showCount(link.querySelector("[data-bell-count]"), link.querySelector("[data-bell-number]"), total);
  }
}

if (link) {
  refresh();
  setInterval(refresh, 30000);
  document.addEventListener("discussions:bell", refresh);
}
