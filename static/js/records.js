// The minutes and conclusion notice on the meeting page: when one is issued
// ("record.issued" on the meeting's live stream), its signed PDF is listed at
// once on every tablet. The event carries ids only; the link is access-checked.

import { highlight } from "./live.js";

const card = document.getElementById("records");
const root = document.getElementById("meeting");

function addIssued(record) {
  const list = document.getElementById("records-issued");
  if (!list || list.querySelector(`[data-kind="${record.kind}"]`)) return;
  const labels = JSON.parse(document.getElementById("records-labels").textContent);
  const link = document.createElement("a");
  link.className = "button";
  link.href = card.dataset.signedUrl.replace("/0/", `/${Number(record.document_id)}/`);
  link.textContent = `${labels[record.kind] || record.kind} ${record.number || ""} (PDF)`;
  const entry = document.createElement("li");
  entry.dataset.kind = record.kind;
  entry.append(link);
  list.append(entry);
  highlight(entry);
  const empty = document.getElementById("records-empty");
  if (empty) empty.remove();
  card.hidden = false;
}

if (card && root) {
  root.addEventListener("ecabinet:event", (event) => {
    const frame = event.detail || {};
    if (frame.type === "record.issued" && frame.data && frame.data.record) addIssued(frame.data.record);
  });
}
