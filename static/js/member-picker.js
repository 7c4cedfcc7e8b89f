// A combobox (ARIA 1.2 "list autocomplete") over network:member_autocomplete: people type part of a
// name, agency or title and choose from at most ten members they may see. With data-multiple the
// chosen people collect as removable chips, each a hidden input; without it, one hidden input holds
// the chosen id. Without JavaScript the typed name is posted and the server looks it up.
import { findMembers } from "./member-search.js";

const WAIT_MS = 200;
const SHORTEST = 2;

function option(member, id) {
  const item = document.createElement("li");
  item.setAttribute("role", "option");
  item.id = id;
  item.className = "member-picker__option";
  item.dataset.id = member.id;
  item.dataset.name = member.name;
  const name = document.createElement("bdi");
  name.className = "member-picker__name";
  name.textContent = member.name;
  item.append(name);
  const about = [member.headline, member.agency].filter(Boolean).join(" · ");
  if (about) {
    const detail = document.createElement("span");
    detail.className = "member-picker__detail";
    detail.textContent = about;
    item.append(" ", detail);
  }
  return item;
}

function setUp(picker) {
  const input = picker.querySelector("[role=combobox]");
  const list = picker.querySelector("[role=listbox]");
  const status = picker.querySelector("[role=status]");
  const chosen = picker.querySelector(".member-picker__chosen");
  const single = picker.querySelector("input[type=hidden].member-picker__value");
  const field = picker.dataset.field;
  let timer;
  let pending;
  let active = -1;

  const options = () => [...list.querySelectorAll("[role=option]")];

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach((item, i) => item.setAttribute("aria-selected", String(i === active)));
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function alreadyChosen(id) {
    return chosen && chosen.querySelector(`input[value="${id}"]`);
  }

  function choose(item) {
    const { id, name } = item.dataset;
    if (chosen) {
      if (!alreadyChosen(id)) addChip(id, name);
      input.value = "";
      status.textContent = `${name} added.`;
    } else {
      single.value = id;
      input.value = name;
      status.textContent = `${name} chosen.`;
    }
    close();
    input.focus();
  }

  function addChip(id, name) {
    const chip = document.createElement("li");
    chip.className = "member-picker__chip";
    const label = document.createElement("bdi");
    label.textContent = name;
    const hidden = document.createElement("input");
    Object.assign(hidden, { type: "hidden", name: field, value: id });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "usa-button usa-button--unstyled member-picker__remove";
    remove.textContent = "Remove";
    const who = document.createElement("span");
    who.className = "usa-sr-only";
    who.textContent = ` ${name}`;
    remove.append(who);
    remove.addEventListener("click", () => {
      chip.remove();
      status.textContent = `${name} removed.`;
      input.focus();
    });
    chip.append(label, " ", hidden, remove);
    chosen.append(chip);
  }

  async function suggest() {
    const text = input.value.trim();
    if (text.length < SHORTEST) return close();
    pending?.abort();
    pending = new AbortController();
    let members = await findMembers(picker.dataset.url, text, pending.signal);
    if (members === null) return;
    members = members.filter((member) => !alreadyChosen(member.id));
    list.replaceChildren(...members.map((m, i) => option(m, `${list.id}-${i}`)));
    list.hidden = members.length === 0;
    input.setAttribute("aria-expanded", String(members.length > 0));
    active = -1;
    status.textContent = members.length
      ? `${members.length} ${members.length === 1 ? "member matches" : "members match"}; use the down arrow to choose.`
      : "No member you can see matches.";
  }

  input.addEventListener("input", () => {
    if (single) single.value = "";
    clearTimeout(timer);
    timer = setTimeout(suggest, WAIT_MS);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden;
    if (event.key === "ArrowDown" && open) highlight(active + 1);
    else if (event.key === "ArrowUp" && open) highlight(active - 1);
    else if (event.key === "Escape" && open) close();
    else if (event.key === "Enter" && open && active >= 0) choose(options()[active]);
    else return;
    event.preventDefault();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  // mousedown, not click: choosing must happen before the input's blur closes the list.
  list.addEventListener("mousedown", (event) => {
    const item = event.target.closest("[role=option]");
    if (!item) return;
    event.preventDefault();
    choose(item);
  });
}

document.querySelectorAll("[data-member-picker]").forEach(setUp);
