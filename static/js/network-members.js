// Member-name suggestions for an <input list="…"> whose <datalist> has data-url: as people type,
// it offers the members they may see (name, with headline and agency beside it). The page works
// without it: the server looks up the typed name itself.
import { findMembers } from "./member-search.js";

const WAIT_MS = 200;
const SHORTEST = 2;

function setUp(list) {
  const input = document.querySelector(`input[list="${list.id}"]`);
  const status = document.getElementById(list.dataset.status);
  if (!input) return;
  let timer;
  let pending;

  async function suggest() {
    const text = input.value.trim();
    if (text.length < SHORTEST) return;
    pending?.abort();
    pending = new AbortController();
    const members = await findMembers(list.dataset.url, text, pending.signal);
    if (members === null) return;
    list.replaceChildren(
      ...members.map((member) => {
        const option = document.createElement("option");
        option.value = member.name;
        option.label = [member.headline, member.agency].filter(Boolean).join(" · ");
        return option;
      }),
    );
    if (status && !members.some((member) => member.name === text)) {
      status.textContent = members.length
        ? `${members.length} ${members.length === 1 ? "member matches" : "members match"}; use the down arrow to choose.`
        : "No member you can see matches.";
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, WAIT_MS);
  });
}

document.querySelectorAll("datalist[data-url][data-member-list]").forEach(setUp);
