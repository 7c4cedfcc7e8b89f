// A header count (the notifications bell, the chat badge): shows a number in a tag that is
// hidden at zero, and asks the server for it. Offline or signed out, the shown count stays.

export function showCount(tag, number, total) {
  number.textContent = total > 0 ? String(total) : "";
  tag.hidden = !(total > 0);
}

export async function fetchCount(url) {
  try {
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return null;
    const { unread } = await response.json();
    return unread;
  } catch {
    return null;
  }
}
