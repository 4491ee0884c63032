// Clocks of the session, on the server's time: the page learns the server's
// clock from the state it starts from, so a tablet whose own clock is wrong
// still shows the same minutes as every other screen.

const ZONE = "Asia/Ho_Chi_Minh";

export class ServerClock {
  constructor(serverTimeIso) {
    const server = Date.parse(serverTimeIso);
    this.offset = Number.isNaN(server) ? 0 : server - Date.now();
  }

  // An event stamped by the server at ``iso`` has arrived: the server's clock
  // reads at least that now (the page's first estimate lags by its load time).
  saw(iso) {
    const at = Date.parse(iso);
    if (!Number.isNaN(at)) this.offset = Math.max(this.offset, at - Date.now());
  }

  now() {
    return Date.now() + this.offset;
  }

  // {elapsed_seconds, running_since}: time already run plus the running stretch.
  elapsed(clock, now = this.now()) {
    if (!clock) return 0;
    let seconds = clock.elapsed_seconds || 0;
    if (clock.running_since) seconds += Math.max(0, Math.floor((now - Date.parse(clock.running_since)) / 1000));
    return seconds;
  }
}

const two = (n) => String(n).padStart(2, "0");

// 1:05:09 or 05:09
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return hours ? `${hours}:${two(minutes)}:${two(rest)}` : `${two(minutes)}:${two(rest)}`;
}

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const dateFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

// 14:05, as the Government writes times
export function formatTime(iso) {
  if (!iso) return "";
  return timeFormat.format(new Date(iso));
}

// 27/11/2026
export function formatDate(iso) {
  if (!iso) return "";
  return dateFormat.format(new Date(iso));
}
