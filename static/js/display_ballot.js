// The hall display's ballot: the question and how many have voted while it is
// open; once closed, the outcome with the counts as published (a secret ballot
// with too few votes publishes none). Never who voted, nor how.

import { $, el, fill } from "./dom.js";

const card = $("display-ballot");
const root = $("meeting");

function optionLabel(labels, option) {
  return option.kind === option.key && labels.options[option.key] ? labels.options[option.key] : option.label;
}

function draw(state, labels) {
  const body = $("display-ballot-body");
  card.hidden = !state;
  if (!state) return;
  const { ballot, tally } = state;
  const open = ballot.status === "open";
  const parts = [el("p", "display-ballot-question", ballot.question)];
  parts.push(el("p", "display-ballot-meta", `${ballot.secret ? labels.secret : labels.named} · ${fill(labels.tally, tally)}`));
  if (!open && ballot.result) {
    parts.push(el("p", `display-ballot-outcome outcome-${ballot.result.outcome}`, labels.outcome[ballot.result.outcome] || ballot.result.outcome));
    if (ballot.result.outcome === "withheld") parts.push(el("p", "display-ballot-meta", labels.withheld_why));
  }
  const counts = (!open && ballot.result && ballot.result.counts) || tally.counts;
  if (counts) {
    const list = el("ul", "display-ballot-counts");
    ballot.options.forEach((option) => list.append(el("li", "", `${optionLabel(labels, option)}: ${counts[option.key] ?? 0}`)));
    parts.push(list);
  }
  body.replaceChildren(...parts);
}

if (card && root) {
  const labels = JSON.parse($("display-ballot-labels").textContent);
  let state = JSON.parse($("display-ballot-state").textContent);
  draw(state, labels);
  root.addEventListener("ecabinet:event", (event) => {
    const frame = event.detail || {};
    const data = frame.data || {};
    if (frame.type === "ballot.opened") state = { ballot: data.ballot, tally: data.tally };
    else if (frame.type === "ballot.tally" && state && data.ballot_id === state.ballot.id) state = { ...state, tally: data };
    else if (frame.type === "ballot.closed" && data.ballot) state = { ballot: data.ballot, tally: data.tally };
    else return;
    draw(state, labels);
  });
}
