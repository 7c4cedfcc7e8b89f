// The members a person may see whose name (or agency, or title) starts like `text`, from the
// member autocomplete at `url` (network:member_autocomplete). Null when there is no fresh answer:
// aborted by a newer keystroke, offline, or refused (429 and friends), so callers keep what
// they show.
export async function findMembers(url, text, signal) {
  const address = new URL(url, window.location.href);
  address.searchParams.set("q", text);
  try {
    const response = await fetch(address, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal,
    });
    if (!response.ok) return null;
    return (await response.json()).members;
  } catch {
    return null;
  }
}
