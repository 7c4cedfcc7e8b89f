// Message text into DOM nodes: always text nodes, links only for http(s) URLs.
// Nothing from a message is ever parsed as HTML.

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING = /[.,;:!?)\]]+$/;

export function renderText(target, text) {
  target.replaceChildren();
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = url.match(TRAILING);
    if (trailing) url = url.slice(0, -trailing[0].length);
    target.append(document.createTextNode(text.slice(last, match.index)));
    target.append(link(url));
    last = match.index + url.length;
  }
  target.append(document.createTextNode(text.slice(last)));
}

function link(url) {
  const anchor = document.createElement("a");
  let safe = null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" || parsed.protocol === "https:") safe = parsed.href;
  } catch {
    safe = null;
  }
  if (!safe) return document.createTextNode(url);
  anchor.href = safe;
  anchor.className = "usa-link";
  anchor.rel = "noopener noreferrer nofollow ugc";
  anchor.textContent = url;
  return anchor;
}
