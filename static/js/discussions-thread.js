// Thread page: open at the first unread post, and announce replies that arrive by polling.
const status = document.querySelector("[data-thread-status]");
const marker = document.getElementById("first-unread");
const countPosts = () => document.querySelectorAll(".convene-post").length;
let known = countPosts();

if (marker && !window.location.hash) {
  marker.scrollIntoView({ block: "start" });
}

document.body.addEventListener("htmx:afterSettle", () => {
  const now = countPosts();
  if (now > known && status) {
    const added = now - known;
    status.textContent = `${added} new repl${added === 1 ? "y" : "ies"} below.`;
    document.dispatchEvent(new CustomEvent("discussions:bell"));
  }
  known = now;
});
