// The meeting room's big screen: the session as the room should see it —
// the item on the floor and its clock, who speaks and the time left, who
// waits, the quorum, the agenda — read-only, live, and left running all day
// (the socket reconnects and catches up by itself, see live.js). It follows
// the same events as the tablets, through the meeting page's own handlers.

import { $, el, fill } from "./dom.js";
import { formatTime } from "./clock.js";
import { MeetingPage } from "./meeting.js";

class HallDisplay extends MeetingPage {
  // Nothing to choose on a wall: the display always follows the item on the floor.
  render() {
    this.root.dataset.status = this.meeting.status;
    const status = $("meeting-status");
    status.textContent = this.label("meeting_status", this.meeting.status, this.meeting.status_label);
    status.dataset.status = this.meeting.status;
    const current = this.currentItem();
    $("display-item-kicker").textContent = current ? fill(this.labels.item_n, { n: current.position }) : "";
    $("display-item-title").textContent = current ? current.title : this.labels.no_item;
    const waiting = current ? current.queue.filter((r) => r.status === "waiting") : [];
    const queue = $("queue-list");
    queue.replaceChildren(
      ...(waiting.length
        ? waiting.map((r) => el("li", "display-queue-entry", `${r.full_name} · ${r.kind_label}`))
        : [el("li", "empty", this.labels.queue_empty)]),
    );
    this.renderQuorum();
    const agenda = $("agenda-list");
    agenda.replaceChildren(
      ...this.state.items.map((item) => {
        const li = el("li", `display-agenda-item status-${item.status}`);
        if (current && item.id === current.id) li.classList.add("is-current");
        li.append(
          el("span", "agenda-position", `${item.position}.`),
          " ",
          el("span", "agenda-title", item.title),
          " ",
          el("span", "flag", this.label("item_status", item.status, item.status_label)),
        );
        return li;
      }),
    );
    this.tick();
  }

  // The meeting page's start() draws, binds (nothing here) and follows the socket.
  renderReading() {}

  bind() {}

  tick() {
    super.tick();
    $("wall-clock").textContent = formatTime(new Date(this.clock.now()).toISOString());
  }
}

export function startHallDisplay(root) {
  const state = JSON.parse($("meeting-state").textContent);
  const labels = JSON.parse($("meeting-labels").textContent);
  const display = new HallDisplay(root, state, labels).start();
  window.ecabinetMeeting = display;
  return display;
}

