// The tablet's reader: one paper inside the page, drawn by PDF.js (vendored
// under static/vendor/pdfjs, no CDN). The file is the reader's own stamped
// copy behind a short-lived signed link, fetched once. Pages: one at a time,
// fitted to the width, with thumbnails drawn as they scroll into view, jump
// to page, arrows, keys and a swipe. Notes: the reader's own and the shared
// ones, per page, with an optional marked region, kept through the notes API.
// Live: the meeting's stream says when this paper is updated, withdrawn or
// no longer given, and when notes change.
import { $, el, fill } from "./dom.js";
import { connectMeeting, highlight } from "./live.js";

function json(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function timeOfDay(iso) {
  const when = iso ? new Date(iso) : new Date();
  return when.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false });
}

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 3;
const SWIPE_PX = 60;
const THUMB_WIDTH = 110;

export class Reader {
  constructor(root, config, labels, notes) {
    this.root = root;
    this.config = config;
    this.labels = labels;
    this.notes = notes || [];
    this.paperId = config.paper_id;
    this.pageCount = config.page_count;
    this.page = 1;
    this.zoom = 1;
    this.pdf = null;
    this.renderTask = null;
    this.region = null;
    this.marking = false;
    this.editing = null;
    this.thumbsDrawn = new Set();
  }

  // --- the document -------------------------------------------------------------

  async open() {
    const status = $("reader-status");
    status.textContent = this.labels.loading;
    try {
      const pdfjs = await import(this.config.pdfjs_url);
      pdfjs.GlobalWorkerOptions.workerSrc = this.config.worker_url;
      // One request for the whole copy: the signed link is short-lived, so
      // no range requests that would come back after it expired.
      const response = await fetch(this.config.file_url, { credentials: "same-origin" });
      if (!response.ok) {
        status.textContent = response.status === 403 || response.status === 410 ? this.labels.expired : this.labels.failed;
        this.root.dataset.state = "failed";
        return;
      }
      const data = new Uint8Array(await response.arrayBuffer());
      this.pdf = await pdfjs.getDocument({ data, isEvalSupported: false, enableXfa: false }).promise;
    } catch (error) {
      status.textContent = this.labels.failed;
      this.root.dataset.state = "failed";
      return;
    }
    this.pageCount = this.pdf.numPages;
    const fromHash = Number((window.location.hash.match(/page=(\d+)/) || [])[1]);
    await this.go(fromHash >= 1 ? fromHash : 1);
    this.watchThumbs();
  }

  async go(page) {
    const target = Math.min(Math.max(1, Math.trunc(Number(page)) || 1), this.pageCount);
    this.page = target;
    $("page-number").value = String(target);
    $("page-previous").disabled = target <= 1;
    $("page-next").disabled = target >= this.pageCount;
    this.root.querySelectorAll(".thumb").forEach((thumb) => {
      const current = Number(thumb.dataset.page) === target;
      thumb.classList.toggle("is-current", current);
      if (current) thumb.setAttribute("aria-current", "page");
      else thumb.removeAttribute("aria-current");
    });
    const thumb = this.root.querySelector(`.thumb[data-page="${target}"]`);
    if (thumb) this.showThumb(thumb);
    window.history.replaceState(null, "", `#page=${target}`);
    this.renderNotes();
    await this.renderPage();
  }

  // Scroll the thumbnails, not the page: the page the member reads stays put.
  showThumb(thumb) {
    const list = $("thumbs");
    const top = thumb.offsetTop - list.offsetTop;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + thumb.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = top + thumb.offsetHeight - list.clientHeight;
    }
  }

  async renderPage() {
    if (!this.pdf) return;
    const number = this.page;
    const page = await this.pdf.getPage(number);
    const stage = $("stage");
    const canvas = $("page-canvas");
    const base = page.getViewport({ scale: 1 });
    const width = Math.max(200, stage.clientWidth - 16);
    const scale = (width / base.width) * this.zoom;
    const viewport = page.getViewport({ scale });
    const ratio = window.devicePixelRatio || 1;
    if (this.renderTask) this.renderTask.cancel();
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.style.width = `${Math.floor(viewport.width)}px`;
    canvas.style.height = `${Math.floor(viewport.height)}px`;
    const frame = $("page-frame");
    frame.style.width = canvas.style.width;
    frame.style.height = canvas.style.height;
    const task = page.render({
      canvasContext: canvas.getContext("2d"),
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    this.renderTask = task;
    try {
      await task.promise;
    } catch (error) {
      if (error && error.name === "RenderingCancelledException") return;
      throw error;
    }
    if (this.page !== number) return;
    this.renderTask = null;
    canvas.dataset.page = String(number);
    this.root.dataset.renderedPage = String(number);
    $("reader-status").textContent = fill(this.labels.page_of, { page: number, count: this.pageCount });
  }

  watchThumbs() {
    const list = $("thumbs");
    const observer = new IntersectionObserver(
      (entries) => {
        entries.forEach((entry) => {
          if (entry.isIntersecting) this.drawThumb(Number(entry.target.dataset.page));
        });
      },
      { root: list, rootMargin: "200px" },
    );
    this.root.querySelectorAll(".thumb").forEach((thumb) => observer.observe(thumb));
  }

  async drawThumb(number) {
    if (!this.pdf || this.thumbsDrawn.has(number) || number > this.pageCount) return;
    this.thumbsDrawn.add(number);
    const page = await this.pdf.getPage(number);
    const base = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: THUMB_WIDTH / base.width });
    const canvas = this.root.querySelector(`.thumb[data-page="${number}"] canvas`);
    if (!canvas) return;
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
    canvas.dataset.drawn = "true";
  }

  // --- notes ------------------------------------------------------------------------

  notesOn(page) {
    return this.notes.filter((note) => note.page === page);
  }

  async refetchNotes() {
    const response = await fetch(this.config.notes_url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!response.ok) return;
    const body = await response.json();
    this.notes = body.notes;
    this.renderNotes();
  }

  async request(method, url, body) {
    const response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 204) return {};
    let answer = {};
    try {
      answer = await response.json();
    } catch (error) {
      answer = {};
    }
    if (!response.ok) throw new Error(answer.detail || this.labels.failed);
    return answer;
  }

  noteUrl(id) {
    return `${this.config.notes_url}${id}/`;
  }

  renderNotes() {
    const page = this.page;
    $("notes-heading").textContent = fill(this.labels.notes_on_page, { page });
    $("notes-badge").textContent = String(this.notes.length);
    const list = $("note-list");
    const mine = this.notesOn(page);
    list.replaceChildren(
      ...(mine.length === 0 ? [el("li", "empty", this.labels.no_notes)] : mine.map((note) => this.noteRow(note))),
    );
    // A small count on each thumbnail whose page has notes.
    const counts = new Map();
    this.notes.forEach((note) => counts.set(note.page, (counts.get(note.page) || 0) + 1));
    this.root.querySelectorAll(".thumb").forEach((thumb) => {
      const count = counts.get(Number(thumb.dataset.page)) || 0;
      let badge = thumb.querySelector(".thumb-notes");
      if (count && !badge) {
        badge = el("span", "thumb-notes");
        thumb.append(badge);
      }
      if (badge) {
        badge.hidden = !count;
        badge.textContent = String(count);
        badge.setAttribute("aria-label", fill(this.labels.notes_count, { count }));
      }
    });
    this.renderMarks();
  }

  noteRow(note) {
    const li = el("li", `note${note.mine ? " is-mine" : ""}${note.shared ? " is-shared" : ""}`);
    li.dataset.noteId = String(note.id);
    const head = el("p", "note-head");
    head.append(el("span", "note-author", note.author_name));
    head.append(el("span", `flag${note.shared ? "" : " flag-quiet"}`, note.shared ? this.labels.shared : this.labels.private));
    if (note.region) head.append(el("span", "flag flag-quiet", this.labels.note_on_region));
    li.append(head);
    if (note.page_changed) {
      li.append(el("p", "note-changed", note.page_missing ? fill(this.labels.page_missing, { page: note.page }) : this.labels.page_changed));
      li.classList.add("is-changed");
    }
    if (note.version !== this.config.version) {
      li.append(el("p", "note-version", fill(this.labels.written_on, { version: note.version })));
    }
    if (this.editing === note.id) {
      const box = el("textarea", "note-edit");
      box.value = note.text;
      box.maxLength = this.config.max_note;
      box.rows = 3;
      box.setAttribute("aria-label", this.labels.edit);
      li.append(box);
      const row = el("div", "button-row");
      row.append(this.noteButton("save", this.labels.save, "button-primary"), this.noteButton("cancel", this.labels.cancel));
      li.append(row);
    } else {
      li.append(el("p", "note-text", note.text));
      if (note.mine) {
        const row = el("div", "button-row");
        row.append(this.noteButton("edit", this.labels.edit));
        if ($("note-shared")) {
          row.append(this.noteButton(note.shared ? "unshare" : "share", note.shared ? this.labels.unshare : this.labels.share));
        }
        row.append(this.noteButton("delete", this.labels.delete));
        li.append(row);
      }
    }
    li.append(el("p", "control-error"));
    return li;
  }

  noteButton(action, text, extra = "") {
    const button = el("button", `button ${extra}`.trim(), text);
    button.type = "button";
    button.dataset.noteAction = action;
    return button;
  }

  renderMarks() {
    const marks = $("note-marks");
    marks.replaceChildren(
      ...this.notesOn(this.page)
        .filter((note) => note.region)
        .map((note) => {
          const mark = el("button", `note-mark${note.mine ? " is-mine" : ""}${note.page_changed ? " is-changed" : ""}`);
          mark.type = "button";
          mark.dataset.noteId = String(note.id);
          mark.title = note.text;
          mark.setAttribute("aria-label", note.text);
          const r = note.region;
          Object.assign(mark.style, {
            left: `${r.x * 100}%`,
            top: `${r.y * 100}%`,
            width: `${r.w * 100}%`,
            height: `${r.h * 100}%`,
          });
          return mark;
        }),
    );
  }

  async onNoteButton(button) {
    const row = button.closest("[data-note-id]");
    const id = Number(row.dataset.noteId);
    const error = row.querySelector(".control-error");
    const action = button.dataset.noteAction;
    try {
      if (action === "edit") {
        this.editing = id;
        this.renderNotes();
        const box = this.root.querySelector(`.note[data-note-id="${id}"] textarea`);
        if (box) box.focus();
        return;
      }
      if (action === "cancel") {
        this.editing = null;
        this.renderNotes();
        return;
      }
      if (action === "save") {
        await this.request("PATCH", this.noteUrl(id), { text: row.querySelector("textarea").value });
        this.editing = null;
      } else if (action === "share" || action === "unshare") {
        await this.request("PATCH", this.noteUrl(id), { shared: action === "share" });
      } else if (action === "delete") {
        if (!window.confirm(this.labels.confirm_delete)) return;
        await this.request("DELETE", this.noteUrl(id));
      }
      await this.refetchNotes();
    } catch (failure) {
      if (error) error.textContent = failure.message;
    }
  }

  async addNote(form) {
    const error = $("note-error");
    error.textContent = "";
    const text = form.elements.text;
    const shared = $("note-shared");
    const body = { page: this.page, text: text.value };
    if (this.region) body.region = this.region;
    if (shared) body.shared = shared.checked;
    try {
      const answer = await this.request("POST", this.config.notes_url, body);
      text.value = "";
      if (shared) shared.checked = false;
      this.setRegion(null);
      await this.refetchNotes();
      const row = this.root.querySelector(`.note[data-note-id="${answer.note.id}"]`);
      if (row) highlight(row);
    } catch (failure) {
      error.textContent = failure.message;
    }
  }

  // --- marking a region on the page -------------------------------------------------

  setMarking(on) {
    this.marking = on;
    const button = $("mark-region");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? this.labels.marking : this.labels.mark_region;
    $("page-frame").classList.toggle("is-marking", on);
  }

  setRegion(region) {
    this.region = region;
    const draft = $("region-draft");
    $("clear-region").hidden = !region;
    $("region-state").textContent = region ? this.labels.region_marked : "";
    if (!region) {
      draft.hidden = true;
      return;
    }
    Object.assign(draft.style, {
      left: `${region.x * 100}%`,
      top: `${region.y * 100}%`,
      width: `${region.w * 100}%`,
      height: `${region.h * 100}%`,
    });
    draft.hidden = false;
  }

  bindMarking() {
    const frame = $("page-frame");
    let start = null;
    const at = (event) => {
      const box = frame.getBoundingClientRect();
      return {
        x: Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1),
        y: Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1),
      };
    };
    const region = (a, b) => {
      const x = Math.min(a.x, b.x);
      const y = Math.min(a.y, b.y);
      const round = (v) => Math.round(v * 10000) / 10000;
      return { x: round(x), y: round(y), w: round(Math.abs(a.x - b.x)), h: round(Math.abs(a.y - b.y)) };
    };
    frame.addEventListener("pointerdown", (event) => {
      if (!this.marking) return;
      event.preventDefault();
      frame.setPointerCapture(event.pointerId);
      start = at(event);
    });
    frame.addEventListener("pointermove", (event) => {
      if (!this.marking || !start) return;
      const r = region(start, at(event));
      if (r.w > 0 && r.h > 0) this.setRegion(r);
    });
    frame.addEventListener("pointerup", (event) => {
      if (!this.marking || !start) return;
      const r = region(start, at(event));
      start = null;
      this.setMarking(false);
      this.setRegion(r.w > 0.005 && r.h > 0.005 ? r : null);
    });
  }

  // --- live -------------------------------------------------------------------------

  banner(text, { reload = false } = {}) {
    const box = $("updated-banner");
    $("updated-text").textContent = text;
    $("reload-paper").hidden = !reload;
    box.hidden = false;
    highlight(box);
  }

  handlers() {
    const mine = (data) => data.paper_id === this.paperId || (data.paper && data.paper.id === this.paperId);
    const notes = (data) => {
      if (mine(data)) this.refetchNotes();
    };
    return {
      "paper.updated": (data) => {
        if (!mine(data)) return;
        const paper = data.paper;
        if (paper.version === this.config.version) return;
        let text = fill(this.labels.updated, {
          time: timeOfDay(paper.updated_at),
          version: paper.version,
          pages: paper.page_count,
          previous_pages: data.previous_page_count ?? "",
        });
        if (paper.change_note) text += ` ${fill(this.labels.updated_note, { note: paper.change_note })}`;
        this.root.dataset.updated = String(paper.version);
        this.banner(text, { reload: true });
      },
      "paper.removed": (data) => {
        if (mine(data)) this.banner(this.labels.removed, { reload: true });
      },
      "paper.distribution": (data) => {
        if (mine(data)) this.banner(this.labels.changed_access, { reload: true });
      },
      "papers.reading_ended": () => this.banner(this.labels.reading_ended, { reload: true }),
      // The floor given to this reader shows over the paper, with the way back.
      "queue.changed": (data) => {
        const me = this.config.participant_id;
        const speaking = (data.queue || []).some((r) => r.participant_id === me && r.status === "speaking");
        const alert = $("floor-alert");
        if (!alert || me === null || me === undefined) return;
        const had = !alert.hidden;
        alert.hidden = !speaking;
        document.body.classList.toggle("has-session-alert", speaking || !$("reader-ballot")?.hidden);
        if (speaking && !had) highlight(alert);
      },
      "note.added": notes,
      "note.changed": notes,
      "note.removed": notes,
    };
  }

  // --- controls ---------------------------------------------------------------------

  bind() {
    $("page-previous").addEventListener("click", () => this.go(this.page - 1));
    $("page-next").addEventListener("click", () => this.go(this.page + 1));
    $("page-jump").addEventListener("submit", (event) => {
      event.preventDefault();
      this.go($("page-number").value);
    });
    $("thumb-list").addEventListener("click", (event) => {
      const thumb = event.target.closest(".thumb");
      if (thumb) this.go(Number(thumb.dataset.page));
    });
    const zoom = (value) => {
      this.zoom = Math.min(Math.max(value, MIN_ZOOM), MAX_ZOOM);
      this.renderPage();
    };
    $("zoom-in").addEventListener("click", () => zoom(this.zoom * 1.25));
    $("zoom-out").addEventListener("click", () => zoom(this.zoom / 1.25));
    $("zoom-fit").addEventListener("click", () => zoom(1));
    const toggle = (buttonId, panelId) => {
      const button = $(buttonId);
      button.addEventListener("click", () => {
        const panel = $(panelId);
        panel.hidden = !panel.hidden;
        button.setAttribute("aria-expanded", panel.hidden ? "false" : "true");
        this.renderPage();
      });
    };
    toggle("toggle-thumbs", "thumbs");
    toggle("toggle-notes", "notes");
    $("reload-paper").addEventListener("click", () => window.location.reload());
    document.addEventListener("keydown", (event) => {
      if (event.target.closest("input, textarea, select")) return;
      if (event.key === "ArrowRight" || event.key === "PageDown") this.go(this.page + 1);
      else if (event.key === "ArrowLeft" || event.key === "PageUp") this.go(this.page - 1);
    });
    const stage = $("stage");
    let touch = null;
    stage.addEventListener("touchstart", (event) => {
      touch = event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
    }, { passive: true });
    stage.addEventListener("touchend", (event) => {
      if (!touch || this.marking || this.zoom > 1) return;
      const dx = event.changedTouches[0].clientX - touch.x;
      const dy = event.changedTouches[0].clientY - touch.y;
      touch = null;
      if (Math.abs(dx) > SWIPE_PX && Math.abs(dx) > 2 * Math.abs(dy)) this.go(this.page + (dx < 0 ? 1 : -1));
    });
    let resizing = null;
    window.addEventListener("resize", () => {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(() => this.renderPage(), 150);
    });
    $("note-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.addNote(event.currentTarget);
    });
    $("mark-region").addEventListener("click", () => this.setMarking(!this.marking));
    $("clear-region").addEventListener("click", () => this.setRegion(null));
    $("note-list").addEventListener("click", (event) => {
      const button = event.target.closest("[data-note-action]");
      if (button) this.onNoteButton(button);
    });
    $("note-marks").addEventListener("click", (event) => {
      const mark = event.target.closest(".note-mark");
      if (!mark) return;
      const row = this.root.querySelector(`.note[data-note-id="${mark.dataset.noteId}"]`);
      if (row) {
        row.scrollIntoView({ block: "nearest" });
        highlight(row);
      }
    });
    this.bindMarking();
  }
}

export function startReader(root) {
  const reader = new Reader(root, json("reader-config"), json("reader-labels"), json("reader-notes"));
  reader.bind();
  reader.renderNotes();
  reader.live = connectMeeting(root, reader.handlers());
  reader.open();
  window.ecabinetReader = reader;
  return reader;
}
