// How the meeting page applies the meeting's events.
import { highlight } from "./live.js";

function roleLabels() {
  const node = document.getElementById("role-labels");
  return node ? JSON.parse(node.textContent) : {};
}

export function participantAdded(data) {
  const list = document.getElementById("participant-list");
  if (!list || list.querySelector(`[data-participant-id="${data.participant_id}"]`)) return;
  const item = document.createElement("li");
  item.dataset.participantId = String(data.participant_id);
  const name = document.createElement("span");
  name.className = "participant-name";
  name.textContent = data.full_name;
  const title = document.createElement("span");
  title.className = "participant-title";
  title.textContent = data.title;
  const role = document.createElement("span");
  role.className = "role-badge";
  role.textContent = roleLabels()[data.role] || data.role;
  item.append(name, " ", title, " ", role);
  list.append(item);
  highlight(item);
}
