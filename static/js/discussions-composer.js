// Mention autocomplete: typing @ and part of a name offers members who can see this board;
// choosing one inserts @[Name](id), which the server turns into a mention.
const MENTION = /@([\p{L}][\p{L}\p{M}' .-]{0,40})$/u;

function setUp(form) {
  const textarea = form.querySelector("textarea");
  const box = form.querySelector("[data-mention-list]");
  const list = box?.querySelector("ul");
  const status = form.querySelector("[data-mention-status]");
  if (!textarea || !list) return;
  let timer;

  function close() {
    box.hidden = true;
    list.replaceChildren();
  }

  function choose(member, match) {
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, caret - match.length - 1);
    const inserted = `@[${member.name}](${member.id}) `;
    textarea.value = before + inserted + textarea.value.slice(caret);
    const at = before.length + inserted.length;
    textarea.setSelectionRange(at, at);
    textarea.focus();
    close();
  }

  async function suggest() {
    const upToCaret = textarea.value.slice(0, textarea.selectionStart);
    const found = MENTION.exec(upToCaret);
    if (!found) return close();
    const url = new URL(form.dataset.mentionUrl, window.location.href);
    url.searchParams.set("q", found[1].trim());
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return close();
    const { members } = await response.json();
    list.replaceChildren(
      ...members.map((member) => {
        const item = document.createElement("li");
        item.className = "usa-button-group__item";
        const button = document.createElement("button");
        button.type = "button";
        button.className = "usa-button usa-button--outline usa-button--small";
        button.textContent = member.name;
        button.addEventListener("click", () => choose(member, found[1]));
        item.append(button);
        return item;
      }),
    );
    box.hidden = members.length === 0;
    if (status) {
      status.textContent = members.length
        ? `${members.length} people you can mention, listed below the message box.`
        : "";
    }
  }

  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close();
  });
}

document.querySelectorAll("form[data-mention-url]").forEach(setUp);
