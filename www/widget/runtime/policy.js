// When and how reports are sent (README "When and how reports are sent"), as
// pure functions: state and time in, a decision out; no DOM, no timers, no
// storage. reports.js applies the decisions to the page, reporter.js to the
// outbox.

/** Reports are due at the latest when counts are older than this. */
const MAX_PENDING_MS = 3600_000;
const FIRST_RETRY_MS = 30_000;
const LAST_RETRY_MS = 6 * 3600_000;
const MAX_AGE_MS = 7 * 24 * 3600_000;
const MAX_KEPT = 20;

/**
 * What the page does on `event`: `start` (the page started with the state
 * an earlier page left), `timeout` (no event for the session timeout),
 * `hidden`, `pagehide`, `visible` (shown again), `online`, `flush`
 * (`supportKpi('flush')`).
 * `state`: `{ now, stored, pendingSince, lastEventAt, timeoutMs, leavingSite,
 * reclaimed, claimed, visible }` — `stored`: counts travel to the next page in
 * localStorage; `pendingSince`: time of the oldest unreported event (null
 * when none); `leavingSite`: the page is left for another site;
 * `reclaimed`: a page shown again got its stored state back; `claimed`: the
 * state this hidden page stored was claimed by another page since;
 * `visible`: the page is visible.
 * Returns `{ close, report, save, flush }`, each left out when it does not
 * apply: `close`, the time at which an open chat closes; `report`, `"send"`
 * (from a live page), `"exit"` (while the page goes away) or `"drop"`
 * (another page owns the counts now); `save`, store the state for the next
 * page or tab; `flush`, retry the outbox.
 */
export function decide(event, { now, stored, pendingSince, lastEventAt, timeoutMs, leavingSite, reclaimed, claimed, visible }) {
  // The previous session ended while no page was open: report it now.
  if (event === "start") return pendingSince !== null && now - lastEventAt > timeoutMs ? { close: lastEventAt, report: "send" } : {};
  // The session timed out with the page open.
  if (event === "timeout") return { close: now, report: "send" };
  // Hidden, or going away, after another page claimed what this one stored:
  // the counts are that page's now; storing or sending them would count them twice.
  if ((event === "hidden" || event === "pagehide") && claimed) return { report: "drop" };
  // Without storage the counts cannot travel: each page reports on its own.
  if (event === "hidden") return !stored || (pendingSince !== null && now - pendingSince > MAX_PENDING_MS) ? { report: "exit", save: true } : { save: true };
  if (event === "pagehide") return !stored || leavingSite ? { close: now, report: "exit", save: true } : { save: true };
  if (event === "visible") return reclaimed ? {} : { report: "drop" };
  // A hidden page may be unloading: it would send without seeing the answer.
  if (event === "online") return visible ? { flush: true } : {};
  return { report: "send" }; // flush
}

/**
 * How a report leaves a page that goes away, when no answer can be awaited:
 * `"keep"` (offline, or the collector known to be down until `downUntil`:
 * into the outbox), `"fetch"` (keepalive fetch, which can leave the Referer
 * out) or `"beacon"` (where keepalive is missing).
 */
export function exitTransport(online, downUntil, now, keepalive) {
  return !online || downUntil > now ? "keep" : keepalive ? "fetch" : "beacon";
}

/** When a report that failed for the `tries`-th time is retried: 30 s, 1 min, 2 min … up to 6 h after `now`. */
export function retryAt(tries, now) {
  return now + Math.min(FIRST_RETRY_MS * 2 ** (tries - 1), LAST_RETRY_MS);
}

/** The outbox entries (`{since}`) still kept at `now`: at most the 20 newest, for 7 days. */
export function prune(outbox, now) {
  return outbox.filter((entry) => now - entry.since < MAX_AGE_MS).slice(-MAX_KEPT);
}

/** Whether a report answered with `status` leaves the outbox: accepted, or refused in a way no retry changes. */
export function isSettled(status) {
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  return (status >= 200 && status < 300) || permanent;
}
