// Sends aggregate reports to the collector. Requests carry no cookies
// (`credentials: "omit"`) and no Referer (`referrerPolicy: "no-referrer"`,
// which `sendBeacon` cannot promise, so `fetch` with `keepalive` comes first
// and `sendBeacon` is the fallback). A report sent from a live page is kept in
// an outbox until the collector acknowledges it and retried with exponential
// backoff; the collector drops duplicates by report id.
import { exitTransport, isSettled, prune, retryAt } from "./policy.js";
import { parseStored } from "./store.js";

const OUTBOX = "outbox";
const DOWN_UNTIL = "down";
const KEEPALIVE = typeof Request === "function" && "keepalive" in Request.prototype;

/** A reporter posting to `endpoint`, keeping unsent reports in `store`. */
export function createReporter(endpoint, store, warn) {
  let outbox = parseStored(store.get(OUTBOX)) || [];
  let flushing = null;
  let retryTimer = 0;

  const persist = () => {
    outbox = prune(outbox, Date.now());
    while (!store.set(OUTBOX, JSON.stringify(outbox)) && outbox.length > 0 && store.available) outbox.shift();
  };
  const keep = (body) => {
    outbox.push({ body, tries: 0, next: 0, since: Date.now() });
    persist();
  };
  const post = (body) =>
    fetch(endpoint, { method: "POST", body, keepalive: KEEPALIVE, credentials: "omit", referrerPolicy: "no-referrer", mode: "cors" });

  /** Sends every due report in the outbox, one at a time. */
  const flush = async () => {
    clearTimeout(retryTimer);
    for (const entry of outbox.filter((e) => e.next <= Date.now())) {
      const status = await post(entry.body).then((response) => response.status, () => 0);
      if (isSettled(status)) {
        outbox = outbox.filter((e) => e !== entry);
        store.remove(DOWN_UNTIL);
        if (status >= 400) warn(`the collector refused a report (HTTP ${status}); it is dropped`);
      } else {
        entry.tries += 1;
        entry.next = retryAt(entry.tries, Date.now());
        store.set(DOWN_UNTIL, String(entry.next));
      }
      persist();
    }
    const next = Math.min(...outbox.map((e) => e.next));
    if (Number.isFinite(next)) retryTimer = setTimeout(() => reporter.flush(), Math.max(next - Date.now(), 1000));
  };

  const reporter = {
    /** Sends a report from a live page and keeps it until acknowledged. */
    send(body) {
      keep(body);
      return reporter.flush();
    },
    /**
     * Sends a report while the page goes away, when no answer can be awaited.
     * Offline, or with the collector known to be down, it is kept for later.
     */
    sendOnExit(body) {
      const transport = exitTransport(navigator.onLine, Number(store.get(DOWN_UNTIL) || 0), Date.now(), KEEPALIVE);
      if (transport === "keep") keep(body);
      else if (transport === "fetch") post(body).catch(() => {});
      else if (!navigator.sendBeacon(endpoint, body)) keep(body);
    },
    /** Retries due reports (one flush at a time). */
    flush() {
      flushing ||= flush().finally(() => (flushing = null));
      return flushing;
    },
    /** Forgets every kept report (opt-out). */
    clear() {
      outbox = [];
      store.remove(OUTBOX);
      store.remove(DOWN_UNTIL);
    },
  };
  return reporter;
}
