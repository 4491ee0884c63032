// The ballot open now, on the paper reader: a member reading a paper sees at
// once that a vote has opened and votes from here, with one touch, without
// losing their page. The vote goes over the reader's socket like any other
// (kept and sent again if the socket drops, see live.js); when the ballot
// closes the alert goes, the result being on the meeting page.

import { $, el, fill } from "./dom.js";

class ReaderBallot {
  constructor(card, state, labels) {
    this.card = card;
    this.state = state;
    this.labels = labels;
    this.body = $("reader-ballot-body");
    this.error = $("reader-ballot-error");
    this.meetingId = card.dataset.meetingId;
  }

  live() {
    return window.ecabinetReader && window.ecabinetReader.live;
  }

  optionLabel(option) {
    return option.kind === option.key && this.labels.options[option.key] ? this.labels.options[option.key] : option.label;
  }

  render() {
    const state = this.state;
    const open = Boolean(state && state.ballot && state.ballot.status === "open");
    this.card.hidden = !open;
    document.body.classList.toggle("has-session-alert", open);
    this.body.replaceChildren();
    if (!open) return;
    const { ballot, mine, tally } = state;
    this.body.append(el("p", "ballot-question", ballot.question));
    if (mine && mine.may_vote && (!mine.voted || ballot.allow_change)) {
      const options = el("div", { class: "ballot-options", role: "group", "aria-label": ballot.question });
      ballot.options.forEach((option) => {
        const button = el("button", { type: "button", class: "button ballot-option", "data-option": option.key }, this.optionLabel(option));
        button.setAttribute("aria-pressed", String(mine.option === option.key));
        button.addEventListener("click", () => this.vote(option.key));
        options.append(button);
      });
      this.body.append(options);
    }
    if (mine && mine.voted) {
      this.body.append(el("p", "ballot-mine", ballot.secret ? this.labels.voted_secret : this.labels.voted));
    } else if (!mine || !mine.may_vote) {
      this.body.append(el("p", "ballot-meta", this.labels.wait_for_result));
    }
    const row = el("p", "ballot-alert-foot");
    if (tally) row.append(el("span", "ballot-tally", fill(this.labels.tally, tally)), " ");
    const link = el("a", { class: "button", href: this.card.dataset.meetingUrl, id: "reader-ballot-meeting" }, this.labels.to_meeting);
    row.append(link);
    this.body.append(row);
  }

  async load(ballotId) {
    const response = await fetch(`/api/v1/meetings/${this.meetingId}/ballots/${ballotId}/`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    this.state = await response.json();
    this.render();
  }

  async vote(option) {
    this.error.textContent = "";
    const live = this.live();
    if (!live) return;
    try {
      const answer = await live.send(
        "ballot.vote",
        { ballot_id: this.state.ballot.id, option },
        { onHeld: () => { this.error.textContent = this.labels.held; } },
      );
      this.error.textContent = "";
      this.state = answer;
      this.render();
    } catch (error) {
      this.error.textContent = error.code === "offline" ? this.labels.offline : error.message;
    }
  }

  onEvent(frame) {
    const data = frame.data || {};
    if (frame.type === "ballot.opened" && data.ballot) {
      this.load(data.ballot.id);
    } else if (frame.type === "ballot.tally" && this.state && data.ballot_id === this.state.ballot.id) {
      this.state.tally = data;
      this.render();
    } else if (frame.type === "ballot.closed" && this.state && data.ballot && data.ballot.id === this.state.ballot.id) {
      this.state = null;
      this.render();
    }
  }
}

const card = $("reader-ballot");
const root = $("reader");
if (card && root) {
  const panel = new ReaderBallot(card, JSON.parse($("reader-ballot-state").textContent), JSON.parse($("reader-ballot-labels").textContent));
  panel.render();
  root.addEventListener("ecabinet:event", (event) => panel.onEvent(event.detail));
  window.ecabinetReaderBallot = panel;
}
