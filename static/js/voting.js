// The ballot panel of the meeting page.
//
// It listens to the meeting's live events (the "ecabinet:event" the live
// stream dispatches on #meeting, in order, after any replay) and sends its
// actions over the same socket (ballot.open, ballot.vote, ballot.close).
// While a ballot is open it shows counts only — for a secret ballot only how
// many have voted; the result, and for a named ballot the names, arrive with
// the close.
import { $, el, fill } from "./dom.js";

class BallotPanel {
  constructor(card, state, labels) {
    this.card = card;
    this.state = state;
    this.labels = labels;
    this.body = $("ballot-body");
    this.error = $("ballot-error");
    this.mayVote = card.dataset.mayVote === "true";
    this.runs = card.dataset.runsSession === "true";
    this.oversees = card.dataset.oversees === "true";
    this.meetingStatus = card.dataset.meetingStatus;
  }

  live() {
    return window.ecabinetMeeting && window.ecabinetMeeting.live;
  }

  async send(action, data) {
    this.error.textContent = "";
    const live = this.live();
    if (!live) return null;
    try {
      const answer = await live.send(action, data, {
        onHeld: () => {
          this.error.textContent = this.labels.held;
        },
      });
      this.error.textContent = "";
      return answer;
    } catch (error) {
      this.error.textContent = error.code === "offline" ? this.labels.offline : error.message;
      return null;
    }
  }

  // Those who oversee the session also see who has (not) voted — never what:
  // the events carry counts only, so the list is read again from the API.
  async refreshVoters(ballotId) {
    if (!this.oversees) return;
    const meetingId = this.card.dataset.meetingId;
    const response = await fetch(`/api/v1/meetings/${meetingId}/ballots/${ballotId}/`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok || !this.state || this.state.ballot.id !== ballotId) return;
    const fresh = await response.json();
    this.state.voters = fresh.voters;
    this.render();
  }

  // The consent list, for the chair: shown when the session starts, redrawn
  // as positions change, gone once adopted — all without a reload.
  async refreshConsent(status) {
    const form = $("consent-form");
    if (!form) return;
    if (status) this.meetingStatus = status;
    const response = await fetch(`/api/v1/meetings/${this.card.dataset.meetingId}/positions/`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok || !$("consent-form")) return;
    const state = await response.json();
    const ids = new Set(state.consent_item_ids || []);
    const list = $("consent-items");
    list.replaceChildren(
      ...(state.items || [])
        .filter((item) => ids.has(item.item_id))
        .map((item) => el("li", { "data-item-id": item.item_id }, item.title)),
    );
    form.hidden = !(this.meetingStatus === "in_session" && ids.size > 0 && !state.adopted_at);
  }

  onEvent(frame) {
    const data = frame.data || {};
    if (frame.type === "meeting.updated" && data.meeting && data.meeting.status !== this.meetingStatus) {
      this.refreshConsent(data.meeting.status);
    } else if (["positions.changed", "positions.cutoff", "item.opened", "item.closed"].includes(frame.type)) {
      this.refreshConsent();
    } else if (frame.type === "consent.adopted") {
      const form = $("consent-form");
      if (form) form.remove();
    }
    if (frame.type === "ballot.opened") {
      this.state = { ballot: data.ballot, tally: data.tally, mine: { may_vote: this.mayVote, voted: false }, voters: null, votes: [] };
      this.render();
      this.refreshVoters(data.ballot.id);
    } else if (frame.type === "ballot.tally" && this.state && data.ballot_id === this.state.ballot.id) {
      this.state.tally = data;
      this.render();
      this.refreshVoters(data.ballot_id);
    } else if (frame.type === "ballot.closed") {
      const same = this.state && this.state.ballot.id === data.ballot.id;
      const mine = same ? this.state.mine : {};
      const voters = same ? this.state.voters : null;
      this.state = { ballot: data.ballot, tally: data.tally, mine: { ...mine, may_vote: false }, voters, votes: data.votes };
      this.render();
      this.refreshVoters(data.ballot.id);
    }
  }

  optionLabel(option) {
    return option.kind === option.key && this.labels.options[option.key] ? this.labels.options[option.key] : option.label;
  }

  render() {
    const body = this.body;
    body.replaceChildren();
    const closeButton = $("ballot-close");
    const openForm = $("ballot-open-details");
    const state = this.state;
    if (!state) {
      body.append(el("p", { class: "empty" }, this.labels.no_ballot));
      if (closeButton) closeButton.hidden = true;
      return;
    }
    const { ballot, tally, mine } = state;
    const open = ballot.status === "open";
    body.append(el("p", { class: "ballot-question" }, ballot.question));
    body.append(el("p", { class: "ballot-meta" }, `${ballot.secret ? this.labels.secret : this.labels.named} · ${this.labels.majority[ballot.majority] || ""}`));
    if (open && ballot.closes_at) {
      body.append(el("p", { class: "countdown ballot-countdown", "data-closes-at": ballot.closes_at }));
    }
    if (open && mine && mine.may_vote && (!mine.voted || ballot.allow_change)) {
      const options = el("div", { class: "ballot-options", role: "group" });
      ballot.options.forEach((option) => {
        const button = el("button", { type: "button", class: "button ballot-option", "data-option": option.key, "data-needs-server": "" }, this.optionLabel(option));
        button.setAttribute("aria-pressed", String(mine.option === option.key));
        button.addEventListener("click", () => this.vote(option.key));
        options.append(button);
      });
      body.append(options);
    }
    if (mine && mine.voted) {
      body.append(el("p", { class: "ballot-mine" }, ballot.secret ? this.labels.voted_secret : this.labels.voted + (open && ballot.allow_change ? ` ${this.labels.can_change}` : "")));
    }
    body.append(el("p", { class: "ballot-tally" }, fill(this.labels.tally, tally)));
    if (tally.counts) {
      const list = el("ul", { class: "ballot-counts" });
      ballot.options.forEach((option) => {
        list.append(el("li", {}, `${this.optionLabel(option)}: ${tally.counts[option.key] ?? 0}`));
      });
      body.append(list);
    }
    if (!open && ballot.result) {
      const result = ballot.result;
      body.append(el("p", { class: `ballot-outcome outcome-${result.outcome}` }, this.labels.outcome[result.outcome] || result.outcome));
      body.append(el("p", { class: "ballot-numbers" }, fill(this.labels.result_numbers, {
        voted: result.voted, eligible: result.eligible, needed: result.majority_needed, quorum: result.quorum_needed,
      })));
      if (result.outcome === "withheld") body.append(el("p", { class: "ballot-withheld" }, this.labels.withheld_why));
      if (state.votes && state.votes.length) {
        const names = el("ul", { class: "ballot-names" });
        const labels = Object.fromEntries(ballot.options.map((o) => [o.key, this.optionLabel(o)]));
        state.votes.forEach((vote) => {
          names.append(el("li", {}, `${vote.name}: ${labels[vote.option] || vote.option}${vote.cast_by ? ` (${this.labels.substitute} ${vote.cast_by})` : ""}`));
        });
        body.append(names);
      }
    }
    if (open && state.voters && state.voters.length) {
      const voters = el("ul", { class: "ballot-voters" });
      state.voters.forEach((voter) => {
        const item = el("li", { class: voter.voted ? "has-voted" : "not-voted" }, `${voter.name}: ${voter.voted ? this.labels.has_voted : this.labels.not_voted}`);
        if (voter.by_substitute) item.append(` (${this.labels.substitute})`);
        voters.append(item);
      });
      body.append(voters);
    }
    if (closeButton) {
      closeButton.hidden = !open;
      closeButton.dataset.ballotId = String(ballot.id);
    }
    if (openForm && this.runs) openForm.hidden = open;
    const live = this.live();
    body.querySelectorAll("[data-needs-server]").forEach((button) => {
      button.disabled = !(live && live.state === "live");
    });
    this.tick();
  }

  tick() {
    const countdown = this.body.querySelector(".ballot-countdown");
    if (!countdown) return;
    const clock = window.ecabinetMeeting && window.ecabinetMeeting.clock;
    const now = clock && clock.now ? clock.now() : Date.now();
    const left = Math.round((Date.parse(countdown.dataset.closesAt) - now) / 1000);
    if (left <= 0) {
      countdown.textContent = this.labels.time_up;
      countdown.classList.add("is-over");
      this.body.querySelectorAll(".ballot-option").forEach((button) => { button.disabled = true; });
      return;
    }
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    countdown.textContent = fill(this.labels.closes_in, { time: `${minutes}:${seconds}` });
  }

  async vote(option) {
    const result = await this.send("ballot.vote", { ballot_id: this.state.ballot.id, option });
    if (result) {
      this.state = result;
      this.render();
    }
  }

  bind() {
    const root = $("meeting");
    root.addEventListener("ecabinet:event", (event) => this.onEvent(event.detail));
    const closeButton = $("ballot-close");
    if (closeButton) {
      closeButton.addEventListener("click", async () => {
        const result = await this.send("ballot.close", { ballot_id: Number(closeButton.dataset.ballotId) });
        if (result) {
          this.state = result;
          this.render();
        }
      });
    }
    const form = $("ballot-open-form");
    if (form) {
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const options = form.options.value.split("\n").map((line) => line.trim()).filter(Boolean);
        const countdown = form.countdown_seconds.value;
        const result = await this.send("ballot.open", {
          question: form.question.value,
          options,
          secret: form.secret.checked,
          allow_change: form.allow_change.checked,
          majority: form.majority.value,
          countdown_seconds: countdown ? Number(countdown) : null,
        });
        if (result) {
          form.reset();
          $("ballot-open-details").open = false;
          this.state = result;
          this.render();
        }
      });
    }
    window.setInterval(() => this.tick(), 1000);
  }
}

function start() {
  const card = $("ballot");
  if (!card) return;
  const state = JSON.parse($("voting-state").textContent);
  const labels = JSON.parse($("voting-labels").textContent);
  const panel = new BallotPanel(card, state, labels);
  panel.render();
  panel.bind();
  window.ecabinetBallot = panel;
}

start();
