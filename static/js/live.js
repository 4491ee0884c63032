// The tablet's live connection to one meeting.
//
// The page is rendered by the server with the stream number it reflects
// (data-last-seq). Events are applied strictly in order: a frame whose seq is
// not the next one makes the page fetch what it missed from the events API
// before applying anything else. While the socket is down a bar says so and
// every control marked data-needs-server is disabled, so nothing on the page
// pretends to be live.

const MAX_BACKOFF_MS = 10000;
const CLOSE_NOT_LOGGED_IN = 4401;
const CLOSE_NOT_ALLOWED = 4403;
const CLOSE_NOT_FOUND = 4404;

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
  }

  connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}${this.socketPath}`);
    this.socket = socket;
    socket.addEventListener("message", (message) => this.onMessage(message));
    socket.addEventListener("close", (event) => this.onClose(event));
  }

  onMessage(message) {
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
    if (frame.type === "ack" || frame.type === "error") {
      const waiter = this.waiting.get(frame.ref);
      if (waiter) {
        this.waiting.delete(frame.ref);
        if (frame.type === "ack") waiter.resolve(frame.data || {});
        else waiter.reject(Object.assign(new Error(frame.detail), { code: frame.error }));
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

  send(action, data = {}) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN || this.state !== "live") {
      return Promise.reject(Object.assign(new Error("offline"), { code: "offline" }));
    }
    const ref = `r${this.nextRef++}`;
    this.socket.send(JSON.stringify({ action, data, ref }));
    return new Promise((resolve, reject) => this.waiting.set(ref, { resolve, reject }));
  }

  onClose(event) {
    this.socket = null;
    this.waiting.forEach((waiter) => waiter.reject(Object.assign(new Error("offline"), { code: "offline" })));
    this.waiting.clear();
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
    window.setTimeout(() => this.connect(), delay);
  }

  setState(state) {
    this.state = state;
    document.body.dataset.live = state;
    const live = state === "live";
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

// A short highlight on what just changed; nothing else moves.
export function highlight(element) {
  element.classList.remove("just-changed");
  void element.offsetWidth;
  element.classList.add("just-changed");
}
