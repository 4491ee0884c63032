// Positions before the session, as the chair and the secretariat see them:
// the table follows the meeting's live events and redraws itself from the
// API when a member gives or changes a position.

import { connectMeeting, highlight } from "./live.js";

const root = document.getElementById("positions-live");

function cell(member, labels) {
  const li = document.createElement("li");
  li.append(`${member.name}: `);
  const span = document.createElement("span");
  if (member.kind) {
    span.className = `kind-${member.kind}`;
    span.textContent = labels.kinds[member.kind] || member.kind;
    li.append(span);
    if (member.reason) li.append(` — ${member.reason}`);
  } else {
    span.className = "not-answered";
    span.textContent = labels.notAnswered;
    li.append(span);
  }
  return li;
}

async function refresh() {
  const response = await fetch(root.dataset.stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const state = await response.json();
  const labels = {
    notAnswered: root.dataset.notAnswered,
    yes: root.dataset.yes,
    kinds: JSON.parse(document.getElementById("position-kinds").textContent),
  };
  state.items.forEach((row) => {
    const tr = root.querySelector(`tr[data-item-id="${row.item_id}"]`);
    if (!tr) return;
    const list = tr.querySelector("ul");
    const before = list.textContent;
    list.replaceChildren(...row.members.map((member) => cell(member, labels)));
    tr.querySelector(".consent-cell").textContent = state.consent_item_ids.includes(row.item_id) ? labels.yes : "—";
    if (list.textContent !== before) highlight(tr);
  });
}

if (root) {
  connectMeeting(root, { "positions.changed": () => refresh() });
}
