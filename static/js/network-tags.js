// Autocomplete for comma-separated tag fields: suggests names from the shared vocabulary for the
// word being typed, keeping the tags already entered. Works without it: tags are plain text.
const list = document.getElementById("convene-tag-list");

function lastToken(value) {
  const parts = value.split(",");
  return { head: parts.slice(0, -1).map((p) => p.trim()).filter(Boolean), token: parts.at(-1).trim() };
}

async function suggest(input) {
  const { head, token } = lastToken(input.value);
  if (token.length < 2) return;
  const response = await fetch(`${list.dataset.url}?q=${encodeURIComponent(token)}`, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const { tags } = await response.json();
  list.replaceChildren(
    ...tags
      .filter((tag) => !head.includes(tag))
      .map((tag) => {
        const option = document.createElement("option");
        option.value = [...head, tag].join(", ");
        return option;
      }),
  );
}

if (list) {
  for (const input of document.querySelectorAll("input[data-tags]")) {
    let timer;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => suggest(input), 200);
    });
  }
}
