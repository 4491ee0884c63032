// The tablet's live connection to one meeting.
//
// The page is rendered by the server with the stream number it reflects
// (data-last-seq). Events are applied strictly in order: a frame whose seq is
// not the next one makes the page fetch what it missed from the events API
// before applying anything else. While the socket is down a bar says so and
// every control marked data-needs-server is disabled, so nothing on the page
// pretends to be live.
//
// What a person asked for — a comment, a request to speak, a vote — is kept
// in an outbox (in the browser's storage, so a reload keeps it too) until the
// server has answered it. A frame in flight when the socket drops is sent
// again, with the same key, as soon as the page is live again; the server does
// each key once (ecabinet/realtime/receipts.py), so an answer that was lost
// does not make a second comment or a second vote. What the chair does is
// not kept: an agenda item opened minutes late would be wrong, so it is
// refused as offline and pressed again.

const MAX_BACKOFF_MS = 10000;
const CLOSE_NOT_LOGGED_IN = 4401;
const CLOSE_NOT_ALLOWED = 4403;
const CLOSE_NOT_FOUND = 4404;

// A person's own contributions, safe to send again later.
const KEPT = new Set([
  "comment.add",
  "comment.edit",
  "comment.withdraw",
  "speak.request",
  "speak.withdraw",
  "attendance.check_in",
  "ballot.vote",
]);
// Honest liveness: a beat every few seconds; a socket that has said nothing
// for longer than SILENT_MS (a dead network, a frozen server) is given up and
// a new one opened, as is a handshake that hangs. The browser's "offline"
// event gives up at once, its "online" event reconnects at once. Every
// PING_EVERY-th beat asks the stream's last number, so a lost last event is
// noticed too.
const BEAT_MS = 4000;
const SILENT_MS = 10000;
const PING_EVERY = 15;

// The server remembers a key for 7 days; a tablet drops what is older.
const KEEP_MS = 6 * 24 * 3600 * 1000;

export function connectMeeting(root, handlers = {}) {
  const live = new LiveStream(root, handlers);
  live.connect();
  return live;
}

export class LiveStream {
  constructor(root, handlers) {
    this.root = root;
    this.handlers = handlers;
    this.lastSeq = Number(root.dataset.lastSeq || 0);
    this.eventsUrl = root.dataset.eventsUrl;
    this.socketPath = root.dataset.socketPath;
    this.bar = document.getElementById("live-bar");
    this.socket = null;
    this.backoff = 500;
    this.replaying = false;
    this.pending = [];
    this.waiting = new Map();
    this.nextRef = 1;
    this.stopped = false;
    this.state = "connecting";
    this.outbox = new Outbox(root.dataset.meetingId, root.dataset.userId);
    this.reconnectTimer = null;
    this.heardAt = 0;
    this.beatAt = 0;
    this.beats = 0;
    window.setInterval(() => this.watch(), 1000);
    window.addEventListener("offline", () => this.giveUp());
    window.addEventListener("online", () => this.reconnectNow());
  }

  connect() {
    this.reconnectTimer = null;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}${this.socketPath}`);
    this.socket = socket;
    this.heardAt = Date.now();
    // A socket given up on may still speak or close later: only the current one counts.
    socket.addEventListener("message", (message) => {
      if (socket === this.socket) this.onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (socket === this.socket) this.onClose(event);
    });
  }

  watch() {
    const socket = this.socket;
    if (!socket) return;
    const now = Date.now();
    if (now - this.heardAt > SILENT_MS) {
      this.giveUp();
      return;
    }
    if (socket.readyState !== WebSocket.OPEN || this.state === "connecting") return;
    if (now - this.beatAt >= BEAT_MS) {
      this.beatAt = now;
      this.beats += 1;
      if (this.beats % PING_EVERY === 0 && this.state === "live") {
        this.send("ping").then((answer) => this.catchUp(answer.last_seq), () => {});
      } else {
        socket.send(JSON.stringify({ action: "beat", ref: `b${this.beats}` }));
      }
    }
  }

  // The connection is dead though the socket does not know it yet.
  giveUp() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    try {
      socket.close();
    } catch (error) {
      // Already closing.
    }
    this.onClose({ code: 1006 });
  }

  reconnectNow() {
    if (this.stopped || this.socket) return;
    if (this.reconnectTimer) window.clearTimeout(this.reconnectTimer);
    this.backoff = 500;
    this.connect();
  }

  onMessage(message) {
    this.heardAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(message.data);
    } catch (error) {
      return;
    }
    if (frame.type === "welcome") {
      this.backoff = 500;
      this.catchUp(frame.data.last_seq);
      return;
    }
    if (frame.type === "ack" && typeof frame.ref === "string" && frame.ref.startsWith("b")) return;
    if (frame.type === "ack" || frame.type === "error") {
      const kept = this.outbox.take(frame.ref);
      const waiter = this.waiting.get(frame.ref);
      if (waiter) {
        this.waiting.delete(frame.ref);
        if (frame.type === "ack") waiter.resolve(frame.data || {});
        else waiter.reject(Object.assign(new Error(frame.detail), { code: frame.error }));
      } else if (kept) {
        // Kept before a reload: nobody waits for it on this page any more.
        this.root.dispatchEvent(new CustomEvent("ecabinet:sent", { detail: { entry: kept, frame } }));
      }
      return;
    }
    if (typeof frame.seq !== "number") return;
    if (this.replaying) {
      this.pending.push(frame);
      return;
    }
    if (frame.seq <= this.lastSeq) return;
    if (frame.seq === this.lastSeq + 1) {
      this.apply(frame);
      return;
    }
    this.pending.push(frame);
    this.catchUp(frame.seq);
  }

  async catchUp(serverSeq) {
    if (serverSeq <= this.lastSeq) {
      this.setState("live");
      return;
    }
    if (this.replaying) return;
    this.replaying = true;
    this.setState("catching-up");
    try {
      let more = true;
      while (more) {
        const response = await fetch(`${this.eventsUrl}?since=${this.lastSeq}`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`replay answered ${response.status}`);
        const body = await response.json();
        body.events.forEach((frame) => this.applyIfNext(frame));
        more = body.more && body.events.length > 0;
      }
      this.pending.sort((a, b) => a.seq - b.seq).forEach((frame) => this.applyIfNext(frame));
      this.pending = [];
      this.replaying = false;
      this.setState(this.socket && this.socket.readyState === WebSocket.OPEN ? "live" : "offline");
    } catch (error) {
      // Leave the page marked as not live; the next connection retries.
      this.replaying = false;
      this.setState("offline");
      if (this.socket) this.socket.close();
    }
  }

  applyIfNext(frame) {
    if (frame.seq === this.lastSeq + 1) this.apply(frame);
  }

  apply(frame) {
    this.lastSeq = frame.seq;
    this.root.dataset.lastSeq = String(frame.seq);
    const handler = this.handlers[frame.type];
    if (handler) handler(frame.data, frame, this.root);
    this.root.dispatchEvent(new CustomEvent("ecabinet:event", { detail: frame }));
  }

  isLive() {
    return Boolean(this.socket && this.socket.readyState === WebSocket.OPEN && this.state === "live");
  }

  // The answer's data; rejected with the server's refusal, or with code
  // "offline" for what is not kept. ``onHeld`` is called when a kept action
  // waits for the connection to come back.
  send(action, data = {}, { onHeld } = {}) {
    if (KEPT.has(action)) {
      const entry = this.outbox.add(action, data);
      const answer = new Promise((resolve, reject) => this.waiting.set(entry.key, { resolve, reject, onHeld }));
      if (this.isLive()) this.transmit(entry);
      else if (onHeld) onHeld();
      return answer;
    }
    if (!this.isLive()) {
      return Promise.reject(Object.assign(new Error("offline"), { code: "offline" }));
    }
    const ref = `r${this.nextRef++}`;
    this.socket.send(JSON.stringify({ action, data, ref }));
    return new Promise((resolve, reject) => this.waiting.set(ref, { resolve, reject }));
  }

  transmit(entry) {
    this.socket.send(JSON.stringify({ action: entry.action, data: entry.data, ref: entry.key, key: entry.key }));
  }

  // Everything kept, oldest first, once the page is live again. One socket's
  // frames are handled in the order sent, so a withdrawal follows its request.
  flush() {
    this.outbox.entries().forEach((entry) => {
      if (this.isLive()) this.transmit(entry);
    });
  }

  onClose(event) {
    this.socket = null;
    this.waiting.forEach((waiter, ref) => {
      if (this.outbox.has(ref)) {
        if (waiter.onHeld) waiter.onHeld();
        return;
      }
      waiter.reject(Object.assign(new Error("offline"), { code: "offline" }));
      this.waiting.delete(ref);
    });
    if (event.code === CLOSE_NOT_LOGGED_IN) {
      window.location.assign(`/accounts/login/?next=${encodeURIComponent(window.location.pathname)}`);
      return;
    }
    if (event.code === CLOSE_NOT_ALLOWED || event.code === CLOSE_NOT_FOUND) {
      this.stopped = true;
      this.setState("gone");
      return;
    }
    this.setState("offline");
    if (this.stopped) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.reconnectTimer = window.setTimeout(() => this.connect(), delay);
  }

  setState(state) {
    const was = this.state;
    this.state = state;
    document.body.dataset.live = state;
    const live = state === "live";
    if (live && was !== "live") this.flush();
    document.body.dataset.outbox = String(this.outbox.size());
    if (this.bar) {
      this.bar.hidden = live;
      const text = this.bar.querySelector(".live-bar-text");
      if (text) {
        if (state === "catching-up") text.textContent = text.dataset.textCatchingUp;
        else if (state === "gone") text.textContent = text.dataset.textGone || text.dataset.textOffline;
        else text.textContent = text.dataset.textOffline;
      }
    }
    document.querySelectorAll("[data-needs-server]").forEach((control) => {
      control.disabled = !live;
    });
  }
}

// The kept actions of one person in one meeting, in the browser's storage
// where it lets us (else for this page's life only).
class Outbox {
  constructor(meetingId, userId) {
    this.name = meetingId && userId ? `ecabinet.outbox.${meetingId}.${userId}` : null;
    this.memory = [];
    const now = Date.now();
    this.memory = this.load().filter((entry) => now - entry.at < KEEP_MS);
    this.save();
  }

  load() {
    if (!this.name) return [];
    try {
      const stored = JSON.parse(window.localStorage.getItem(this.name) || "[]");
      return Array.isArray(stored) ? stored.filter((entry) => entry && entry.key && entry.action) : [];
    } catch (error) {
      return [];
    }
  }

  save() {
    if (!this.name) return;
    try {
      if (this.memory.length) window.localStorage.setItem(this.name, JSON.stringify(this.memory));
      else window.localStorage.removeItem(this.name);
    } catch (error) {
      // Storage full or refused: the outbox lives as long as the page.
    }
    document.body.dataset.outbox = String(this.memory.length);
  }

  add(action, data) {
    const entry = { key: newKey(), action, data, at: Date.now() };
    this.memory.push(entry);
    this.save();
    return entry;
  }

  has(key) {
    return this.memory.some((entry) => entry.key === key);
  }

  take(key) {
    const entry = this.memory.find((kept) => kept.key === key);
    if (!entry) return null;
    this.memory = this.memory.filter((kept) => kept.key !== key);
    this.save();
    return entry;
  }

  entries() {
    return [...this.memory];
  }

  size() {
    return this.memory.length;
  }
}

// 128 random bits; crypto.getRandomValues works on plain http too, where
// crypto.randomUUID does not.
function newKey() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return `k${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

// A short highlight on what just changed; nothing else moves.
export function highlight(element) {
  element.classList.remove("just-changed");
  void element.offsetWidth;
  element.classList.add("just-changed");
}
