// The meeting page: it starts from the server's state (json_script
// "meeting-state", the same dict the API returns), applies every event of the
// meeting's stream to that state, and draws the page from it. Nothing on the
// page is changed except from the state, so a replayed event leaves the page
// exactly as a live one.
import { $, el, fill } from "./dom.js";
import { connectMeeting, highlight } from "./live.js";
import { clockText, formatTime, ServerClock } from "./clock.js";
import { confirmStep } from "./confirm.js";

export class MeetingPage {
  constructor(root, state, labels) {
    this.root = root;
    this.state = state;
    this.labels = labels;
    this.clock = new ServerClock(state.server_time);
    this.selectedId = null;
    this.followCurrent = true;
    this.live = null;
    this.editingComment = null;
    this.updatedPapers = new Set(); // papers: updated while this page is open
    this.selectedId = this.defaultSelection();
  }

  // A status, kind or role by its code, in this page's language (events
  // carry the label of whoever caused them; the code decides here).
  label(group, code, fallback) {
    const names = (this.labels.choices || {})[group] || {};
    return names[code] || fallback || code;
  }

  // --- state -----------------------------------------------------------------

  get meeting() {
    return this.state.meeting;
  }

  item(id) {
    return this.state.items.find((item) => item.id === id) || null;
  }

  currentItem() {
    return this.item(this.meeting.current_item_id);
  }

  me() {
    return this.state.participants.find((p) => p.id === this.state.me.participant_id) || null;
  }

  can(capability) {
    return this.state.me.capabilities.includes(capability);
  }

  defaultSelection() {
    const current = this.currentItem();
    if (current) return current.id;
    const next = this.state.items.find((i) => i.status === "pending" || i.status === "deferred");
    return (next || this.state.items[0] || {}).id ?? null;
  }

  upsert(list, thing, key = "id") {
    const index = list.findIndex((x) => x[key] === thing[key]);
    if (index >= 0) list[index] = { ...list[index], ...thing };
    else list.push(thing);
  }

  handlers() {
    const meeting = (data) => {
      const before = this.meeting.current_item_id;
      this.state.meeting = data.meeting;
      if (data.meeting.current_item_id && data.meeting.current_item_id !== before && this.followCurrent) {
        this.selectedId = data.meeting.current_item_id;
      }
      this.render();
      highlight($("live-strip"));
    };
    const item = (data, frame) => {
      const existing = this.item(data.item.id);
      this.upsert(this.state.items, existing ? data.item : { papers: [], queue: [], ...data.item });
      this.state.items.sort((a, b) => a.position - b.position);
      if (frame.type === "item.opened") {
        this.state.meeting.current_item_id = data.item.id;
        if (this.followCurrent) this.selectedId = data.item.id;
      }
      if (this.selectedId === null) this.selectedId = data.item.id;
      this.render();
      const row = this.root.querySelector(`.agenda-item[data-item-id="${data.item.id}"]`);
      if (row) highlight(row);
    };
    const participant = (data) => {
      this.upsert(this.state.participants, data.participant);
      if (data.quorum) this.state.quorum = data.quorum;
      this.render();
      const row = this.root.querySelector(`[data-participant-id="${data.participant.id}"]`);
      if (row) highlight(row);
    };
    const placeChanged = (data) => {
      // A change of my own place (role, invited items) changes what this page
      // may show: start again from the server's state.
      const userId = data.participant ? data.participant.user_id : data.user_id;
      if (userId === this.state.me.user_id) {
        this.say($("live-strip"), this.labels.reload);
        window.setTimeout(() => window.location.reload(), 300);
        return true;
      }
      return false;
    };
    const comment = (data) => {
      this.upsert(this.state.comments, data.comment);
      this.render();
      const row = this.root.querySelector(`[data-comment-id="${data.comment.id}"]`);
      if (row) highlight(row);
    };
    return {
      "meeting.updated": meeting,
      "meeting.published": meeting,
      "item.added": item,
      "item.updated": item,
      "item.opened": item,
      "item.closed": item,
      "item.removed": (data) => {
        this.state.items = this.state.items.filter((i) => i.id !== data.item_id);
        if (this.selectedId === data.item_id) this.selectedId = this.defaultSelection();
        this.render();
      },
      "agenda.reordered": (data) => {
        const rank = new Map(data.order.map((id, index) => [id, index]));
        this.state.items.forEach((i) => {
          if (rank.has(i.id)) i.position = rank.get(i.id) + 1;
        });
        this.state.items.sort((a, b) => a.position - b.position);
        this.render();
        highlight($("agenda-list"));
      },
      "participant.added": (data) => {
        if (!placeChanged(data)) participant(data);
      },
      "participant.changed": (data) => {
        if (!placeChanged(data)) participant(data);
      },
      "participant.removed": (data) => {
        if (placeChanged(data)) return;
        this.state.participants = this.state.participants.filter((p) => p.id !== data.participant_id);
        this.render();
      },
      "attendance.changed": participant,
      "queue.changed": (data) => {
        const target = this.item(data.item_id);
        if (target) target.queue = data.queue;
        this.render();
        highlight($("queue-list"));
      },
      "comment.added": comment,
      "comment.edited": comment,
      "comment.withdrawn": comment,
      // papers: the event says which paper changed; the list is fetched again
      // through the access-checked API, so a paper nobody may see never travels here.
      "paper.added": () => this.refetchPapers(),
      "paper.updated": (data) => {
        if (data.paper) this.updatedPapers.add(data.paper.id);
        this.refetchPapers();
      },
      "paper.removed": () => this.refetchPapers(),
      "paper.distribution": () => this.refetchPapers(),
      "papers.reading_ended": () => this.refetchPapers(),
    };
  }

  // papers: fetch the papers of every item again (the meeting's state, as this user may see it)
  async refetchPapers() {
    const url = this.root.dataset.eventsUrl.replace(/events\/$/, "");
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const fresh = await response.json();
      const byId = new Map(fresh.items.map((i) => [i.id, i.papers || []]));
      this.state.items.forEach((item) => {
        if (byId.has(item.id)) item.papers = byId.get(item.id);
      });
      this.state.meeting_papers = fresh.meeting_papers || [];
      this.renderReading();
      const list = this.root.querySelector(".paper-list");
      if (list) highlight(list);
    } catch (error) {
      // The next paper event, or a reload, brings the list up to date.
    }
  }

  // --- sending -----------------------------------------------------------------

  errorNode(control) {
    const box = control.closest("[data-control]");
    return box ? box.querySelector(".control-error") : null;
  }

  say(control, text) {
    const node = this.errorNode(control) || control.querySelector?.(".control-error");
    if (node) node.textContent = text || "";
  }

  async send(control, action, data = {}) {
    this.say(control, "");
    if (!this.live) return null;
    control.setAttribute("aria-busy", "true");
    try {
      const answer = await this.live.send(action, data, { onHeld: () => this.say(control, this.labels.held) });
      this.say(control, "");
      return answer;
    } catch (error) {
      this.say(control, error.code === "offline" ? this.labels.offline : error.message);
      return null;
    } finally {
      control.removeAttribute("aria-busy");
    }
  }

  // What a reload left in the outbox is sent once the page is live; a
  // refusal of it is told here, as no button waits for it any more.
  onSentAfterReload(event) {
    const { frame } = event.detail;
    if (frame.type === "error") {
      this.say($("live-strip"), fill(this.labels.held_refused, { detail: frame.detail }));
    }
  }

  bind() {
    this.root.addEventListener("ecabinet:sent", (event) => this.onSentAfterReload(event));
    this.root.addEventListener("click", (event) => {
      const agendaButton = event.target.closest(".agenda-button");
      if (agendaButton) {
        const id = Number(agendaButton.closest(".agenda-item").dataset.itemId);
        this.selectedId = id;
        this.followCurrent = id === this.meeting.current_item_id;
        this.render();
        return;
      }
      const actionButton = event.target.closest("[data-action]");
      if (actionButton) {
        this.onAction(actionButton);
        return;
      }
      const floor = event.target.closest("[data-give-floor]");
      if (floor) {
        this.send(floor, "floor.give", { request_id: Number(floor.dataset.giveFloor) });
        return;
      }
      const attendance = event.target.closest("[data-attendance]");
      if (attendance) {
        this.send(attendance, "attendance.check_in", { attendance: attendance.dataset.attendance });
        return;
      }
      const commentButton = event.target.closest("[data-comment-action]");
      if (commentButton) this.onCommentButton(commentButton);
    });

    const speak = $("speak-request");
    if (speak) {
      speak.addEventListener("click", () => {
        const kind = this.root.querySelector("input[name=speak-kind]:checked");
        this.send(speak, "speak.request", { kind: kind ? kind.value : "speech" });
      });
    }
    const withdraw = $("speak-withdraw");
    if (withdraw) withdraw.addEventListener("click", () => this.send(withdraw, "speak.withdraw", {}));

    const openSelected = $("open-selected");
    if (openSelected) {
      openSelected.addEventListener("click", () => {
        this.followCurrent = true;
        this.send(openSelected, "item.open", { item_id: this.selectedId });
      });
    }

    const conclude = $("conclude-form");
    if (conclude) {
      conclude.addEventListener("submit", async (event) => {
        event.preventDefault();
        const text = conclude.elements.conclusion;
        const done = await this.send(text, "item.conclude", { conclusion: text.value });
        if (done) text.value = "";
      });
      $("defer-item").addEventListener("click", async () => {
        const text = conclude.elements.conclusion;
        const current = this.currentItem();
        const sure = await confirmStep({
          title: fill(this.labels.defer_title, { title: current ? current.title : "" }),
          text: this.labels.defer_text,
          yes: this.labels.defer_yes,
          no: this.labels.go_back,
        });
        if (!sure) return;
        const done = await this.send(text, "item.defer", { note: text.value });
        if (done) text.value = "";
      });
    }

    const commentForm = $("comment-form");
    if (commentForm) {
      commentForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        const text = commentForm.elements.text;
        const visibility = commentForm.querySelector("input[name=visibility]:checked");
        const done = await this.send(text, "comment.add", {
          item_id: this.selectedId,
          text: text.value,
          visibility: visibility ? visibility.value : "all",
        });
        if (done) text.value = "";
      });
    }
  }

  // Closing the meeting cannot be undone: ask first, naming what is left.
  async onAction(button) {
    const action = button.dataset.action;
    // Always asked, whatever this page believes: a conclusion still on its way
    // must not turn a refused close into one nobody confirmed.
    if (action === "meeting.close") {
      const left = this.state.items
        .filter((item) => ["pending", "open", "deferred"].includes(item.status))
        .map((item) => `${item.position}. ${item.title} (${this.label("item_status", item.status, item.status_label)})`);
      const sure = await confirmStep({
        title: this.labels.close_title,
        itemsLabel: this.labels.close_left,
        items: left,
        text: left.length ? this.labels.close_text_left : this.labels.close_text,
        yes: this.labels.close_yes,
        no: this.labels.go_back,
      });
      if (!sure) return;
    }
    this.send(button, action, {});
  }

  async onCommentButton(button) {
    const row = button.closest("[data-comment-id]");
    const id = Number(row.dataset.commentId);
    const what = button.dataset.commentAction;
    if (what === "edit") {
      this.editingComment = id;
      this.renderComments();
      const box = this.root.querySelector(`[data-comment-id="${id}"] textarea`);
      if (box) box.focus();
    } else if (what === "cancel") {
      this.editingComment = null;
      this.renderComments();
    } else if (what === "save") {
      const box = row.querySelector("textarea");
      const done = await this.send(box, "comment.edit", { comment_id: id, text: box.value });
      if (done) {
        this.editingComment = null;
        this.renderComments();
      }
    } else if (what === "withdraw") {
      await this.send(button, "comment.withdraw", { comment_id: id });
    }
  }

  // --- drawing --------------------------------------------------------------------

  render() {
    this.root.dataset.status = this.meeting.status;
    const status = $("meeting-status");
    status.textContent = this.label("meeting_status", this.meeting.status, this.meeting.status_label);
    status.dataset.status = this.meeting.status;
    this.renderAgenda();
    this.renderReading();
    this.renderQueue();
    this.renderControls();
    this.renderComments();
    this.renderAttendance();
    this.tick();
  }

  renderAgenda() {
    const list = $("agenda-list");
    const currentId = this.meeting.current_item_id;
    list.replaceChildren(
      ...this.state.items.map((item) => {
        const li = el("li", `agenda-item status-${item.status}`);
        li.dataset.itemId = String(item.id);
        if (item.id === currentId) li.classList.add("is-current");
        if (item.id === this.selectedId) li.classList.add("is-selected");
        const button = el("button", "agenda-button");
        button.type = "button";
        button.setAttribute("aria-current", item.id === this.selectedId ? "true" : "false");
        const flags = el("span", "agenda-flags");
        if (item.id === currentId) flags.append(el("span", "flag flag-current", this.labels.current));
        else if (item.status !== "pending") flags.append(el("span", "flag", this.label("item_status", item.status, item.status_label)));
        if (item.changed_at) flags.append(el("span", "flag flag-changed", this.labels.changed));
        button.append(
          el("span", "agenda-position", `${item.position}.`),
          el("span", "agenda-title", item.title),
          flags,
        );
        li.append(button);
        return li;
      }),
    );
  }

  renderReading() {
    const body = $("reading-body");
    const item = this.item(this.selectedId);
    const comments = $("comments");
    if (comments) comments.hidden = !item;
    if (!item) {
      // The session is on an item this person is not invited to (a guest):
      // say so, and which of theirs are to come, instead of a blank area.
      const elsewhere = this.meeting.current_item_id && !this.currentItem();
      const parts = [el("p", "reading-elsewhere", elsewhere ? this.labels.not_invited : this.labels.nothing_here)];
      if (elsewhere && this.state.items.length) {
        const list = el("ul", "my-items");
        this.state.items.forEach((mine) => list.append(el("li", "", `${mine.position}. ${mine.title} (${this.label("item_status", mine.status, mine.status_label)})`)));
        parts.push(el("p", "reading-meta", this.labels.your_items), list);
      }
      body.replaceChildren(...parts);
      return;
    }
    const kicker = el("p", "reading-kicker", `${fill(this.labels.item_n, { n: item.position })} · ${this.label("item_status", item.status, item.status_label)}`);
    if (item.changed_at) kicker.append(" · ", el("span", "flag flag-changed", this.labels.changed));
    const meta = [];
    if (item.presenting_unit) meta.push(item.presenting_unit);
    if (item.presenter_name) meta.push(`${this.labels.presenter}: ${item.presenter_name}`);
    meta.push(fill(this.labels.planned, { minutes: item.planned_minutes }));
    const parts = [kicker, el("h2", "reading-title", item.title), el("p", "reading-meta", meta.join(" · "))];
    if (item.summary) parts.push(el("p", "reading-summary", item.summary));
    if (item.conclusion) {
      const box = el("div", "conclusion");
      box.append(el("h3", "", this.labels.conclusion), el("p", "", item.conclusion));
      parts.push(box);
    }
    const papers = el("ul", "paper-list");
    if (item.papers.length === 0) papers.append(el("li", "empty", this.labels.no_papers));
    item.papers.forEach((paper) => papers.append(this.paperRow(paper)));
    parts.push(el("h3", "papers-heading", this.labels.papers), papers);
    const whole = this.state.meeting_papers || [];
    if (whole.length) {
      const list = el("ul", "paper-list meeting-paper-list");
      whole.forEach((paper) => list.append(this.paperRow(paper)));
      parts.push(el("h3", "papers-heading", this.labels.meeting_papers), list);
    }
    body.replaceChildren(...parts);
  }

  // papers: one row; it opens in the reader, and says "updated" once a new version arrived live
  paperRow(paper) {
    const li = el("li", "paper");
    li.dataset.paperId = String(paper.id);
    const words = $("paper-words")?.dataset || {};
    let meta = `${paper.kind_label} · ${fill(this.labels.pages, { count: paper.page_count })}`;
    if (paper.version > 1 && words.version) meta += ` · ${fill(words.version, { number: paper.version })}`;
    if (paper.available === false && words.unavailable) meta += ` · ${words.unavailable}`;
    const parts = [el("span", "paper-title", paper.title), el("span", "paper-meta", meta)];
    if (this.updatedPapers.has(paper.id) && words.updated) parts.push(el("span", "flag flag-changed", words.updated));
    if (paper.available === false || !words.readerUrl) {
      li.append(...parts);
    } else {
      const link = el("a", "paper-link");
      link.href = words.readerUrl.replace(/0\/$/, `${paper.id}/`);
      link.append(...parts);
      li.append(link);
    }
    return li;
  }

  renderQueue() {
    const list = $("queue-list");
    const current = this.currentItem();
    const queue = current ? current.queue : [];
    const runs = document.body.classList.contains("is-chair");
    const waiting = queue.filter((r) => r.status === "waiting");
    if (waiting.length === 0 && !queue.some((r) => r.status === "speaking")) {
      list.replaceChildren(el("li", "empty", this.labels.queue_empty));
      return;
    }
    list.replaceChildren(
      ...queue.map((request) => {
        const li = el("li", `queue-entry status-${request.status}`);
        li.dataset.requestId = String(request.id);
        li.dataset.control = "";
        const who = el("span", "queue-who");
        who.append(el("span", "queue-name", request.full_name), el("span", "queue-kind", this.label("speak_kind", request.kind, request.kind_label)));
        li.append(who);
        if (request.status === "speaking") li.append(el("span", "flag flag-current", this.floorLabel()));
        if (runs && request.status === "waiting") {
          const give = el("button", "button button-primary", this.labels.give_floor);
          give.type = "button";
          give.dataset.giveFloor = String(request.id);
          give.dataset.needsServer = "";
          give.disabled = !this.isLive();
          li.append(give, el("p", "control-error"));
          li.lastChild.setAttribute("role", "alert");
        }
        return li;
      }),
    );
  }

  floorLabel() {
    return this.labels.has_floor;
  }

  isLive() {
    return document.body.dataset.live === "live";
  }

  speaking() {
    const current = this.currentItem();
    return current ? current.queue.find((r) => r.status === "speaking") || null : null;
  }

  renderControls() {
    const status = this.meeting.status;
    const current = this.currentItem();
    const inSession = status === "in_session";
    const show = (node, visible) => {
      if (node) node.hidden = !visible;
    };
    const byAction = (name) => this.root.querySelector(`#session-controls [data-action="${name}"]`);
    show(byAction("meeting.start"), status === "published");
    show(byAction("meeting.adjourn"), inSession);
    show(byAction("meeting.resume"), status === "adjourned");
    show(byAction("meeting.close"), inSession || status === "adjourned");
    const anyLeft = this.state.items.some((i) => i.status === "pending");
    show($("open-next"), inSession && !current && anyLeft);
    show($("end-speech"), inSession && Boolean(this.speaking()));
    show($("conclude-form"), inSession && Boolean(current));
    const selected = this.item(this.selectedId);
    show(
      $("chair-open-selected"),
      inSession && !current && Boolean(selected) && ["pending", "deferred"].includes(selected.status),
    );

    // The speak button: only while an item I may see is open.
    const speak = $("speak");
    if (speak) {
      const mine = current ? current.queue.find((r) => r.participant_id === this.state.me.participant_id) : null;
      const open = inSession && Boolean(current) && current.status === "open";
      show(speak, open);
      show($("speak-request"), open && !mine);
      show($("speak-kinds"), open && !mine);
      show($("speak-withdraw"), Boolean(mine) && mine.status === "waiting");
      $("speak-state").textContent = mine ? this.label("speak_kind", mine.kind, mine.kind_label) + " · " + this.statusOf(mine) : "";
    }

    const checkIn = $("check-in");
    if (checkIn) {
      const me = this.me();
      show(checkIn, ["published", "in_session", "adjourned"].includes(status) && me && !me.cannot_attend);
      if (me) {
        $("check-in-state").textContent =
          me.attendance === "room"
            ? this.labels.present_room
            : me.attendance === "remote"
              ? this.labels.present_remote
              : this.labels.absent;
        checkIn.querySelectorAll("[data-attendance]").forEach((b) => {
          b.setAttribute("aria-pressed", String(b.dataset.attendance === me.attendance));
        });
      }
    }
    const commentForm = $("comment-form");
    show(commentForm, ["published", "in_session", "adjourned"].includes(status) && Boolean(selected));
  }

  statusOf(request) {
    return request.status === "speaking" ? this.labels.you_have_floor : this.labels.waiting;
  }

  renderComments() {
    const list = $("comment-list");
    const comments = this.state.comments.filter((c) => c.item_id === this.selectedId);
    if (comments.length === 0) {
      list.replaceChildren(el("li", "empty", this.labels.no_comments));
      return;
    }
    const mine = this.state.me.user_id;
    list.replaceChildren(
      ...comments.map((c) => {
        const li = el("li", "comment");
        li.dataset.commentId = String(c.id);
        li.dataset.control = "";
        const head = el("div", "comment-head");
        head.append(el("span", "comment-author", c.author_name), el("time", "comment-time", formatTime(c.created_at)));
        if (c.visibility === "secretariat") head.append(el("span", "flag", this.labels.secretariat_only));
        if (c.withdrawn_at) head.append(el("span", "flag flag-quiet", this.labels.withdrawn));
        else if (c.edited_at) head.append(el("span", "flag flag-quiet", this.labels.edited));
        li.append(head);
        if (this.editingComment === c.id) {
          const box = el("textarea", "comment-edit");
          box.value = c.text;
          box.rows = 3;
          box.maxLength = 5000;
          box.setAttribute("aria-label", this.labels.edit);
          li.append(box, this.commentButtons(["save", "cancel"]));
        } else {
          if (!c.withdrawn_at) li.append(el("p", "comment-text", c.text));
          if (c.author_id === mine && !c.withdrawn_at) li.append(this.commentButtons(["edit", "withdraw"]));
        }
        const error = el("p", "control-error");
        error.setAttribute("role", "alert");
        li.append(error);
        return li;
      }),
    );
  }

  commentButtons(names) {
    const row = el("div", "button-row");
    names.forEach((name) => {
      const button = el("button", name === "save" ? "button button-primary" : "button", this.labels[name]);
      button.type = "button";
      button.dataset.commentAction = name;
      if (name === "save" || name === "withdraw") {
        button.dataset.needsServer = "";
        button.disabled = !this.isLive();
      }
      row.append(button);
    });
    return row;
  }

  renderQuorum() {
    const quorum = this.state.quorum;
    const node = $("quorum");
    node.textContent = fill(quorum.met ? this.labels.quorum_met : this.labels.quorum_not_met, quorum);
    node.className = `quorum ${quorum.met ? "quorum-met" : "quorum-not-met"}`;
  }

  renderAttendance() {
    this.renderQuorum();
    const list = $("participant-list");
    list.replaceChildren(
      ...this.state.participants.map((p) => {
        const li = el("li", `attendance-${p.attendance || "none"}`);
        li.dataset.participantId = String(p.id);
        let title = p.title || "";
        if (p.substitute_for_name) title += ` · ${fill(this.labels.attending_for, { name: p.substitute_for_name })}`;
        const presence = p.cannot_attend
          ? this.labels.cannot_attend
          : p.attendance === "room"
            ? this.labels.present_room
            : p.attendance === "remote"
              ? this.labels.present_remote
              : this.labels.absent;
        li.append(
          el("span", "participant-name", p.full_name),
          el("span", "participant-title", title),
          el("span", "role-badge", this.label("role", p.role, p.role_label)),
          el("span", "presence", presence),
        );
        return li;
      }),
    );
  }

  // --- clocks -----------------------------------------------------------------------

  tick() {
    const now = this.clock.now();
    $("meeting-clock").textContent = clockText(this.clock.elapsed(this.meeting.clock, now));
    const current = this.currentItem();
    const itemClock = $("item-clock");
    const planned = $("item-planned");
    if (current) {
      const elapsed = this.clock.elapsed(current.clock, now);
      itemClock.textContent = clockText(elapsed);
      const over = elapsed > current.planned_minutes * 60;
      itemClock.classList.toggle("is-over", over);
      planned.textContent = fill(this.labels.planned, { minutes: current.planned_minutes });
    } else {
      itemClock.textContent = "—";
      itemClock.classList.remove("is-over");
      planned.textContent = "";
    }
    const speaking = this.speaking();
    const name = $("floor-name");
    const countdown = $("floor-countdown");
    if (speaking) {
      name.textContent = speaking.full_name;
      const spoken = Math.max(0, Math.floor((now - Date.parse(speaking.started_at)) / 1000));
      const left = this.meeting.speaking_limit_seconds - spoken;
      countdown.textContent =
        left >= 0
          ? fill(this.labels.left, { time: clockText(left) })
          : fill(this.labels.over, { time: clockText(-left) });
      countdown.classList.toggle("is-over", left < 0);
      $("floor").classList.add("has-speaker");
    } else {
      name.textContent = this.labels.nobody;
      countdown.textContent = "";
      countdown.classList.remove("is-over");
      $("floor").classList.remove("has-speaker");
    }
  }

  start() {
    this.render();
    this.bind();
    const handlers = {};
    Object.entries(this.handlers()).forEach(([type, handler]) => {
      handlers[type] = (data, frame) => {
        this.clock.saw(frame.at);
        handler(data, frame);
      };
    });
    this.live = connectMeeting(this.root, handlers);
    window.setInterval(() => this.tick(), 1000);
    return this;
  }
}

export function startMeetingPage(root) {
  const state = JSON.parse($("meeting-state").textContent);
  const labels = JSON.parse($("meeting-labels").textContent);
  const page = new MeetingPage(root, state, labels).start();
  window.ecabinetMeeting = page;
  return page;
}
