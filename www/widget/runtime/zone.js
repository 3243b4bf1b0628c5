// The site time zone's UTC offsets for the engine (its `timeZoneTable`),
// computed by a worker (pkg/widget-zone.js) so that Intl's first use does not
// block the page, and kept in localStorage for months.
import { parseStored } from "./store.js";

const DAY = 86_400_000;
const SPAN = 400 * DAY;
const REFRESH_BEFORE = 30 * DAY;
const WORKER_TIMEOUT_MS = 5000;

/**
 * The table for `timeZone`: null for UTC (nothing to look up), else
 * `{until, offsets}`. Rejects with the reason when the zone is unknown.
 * Without a worker (none, or a widget served from another origin) it
 * resolves to null and the engine asks Intl itself.
 */
export async function zoneTable(timeZone, store, baseUrl) {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return null;
  const cached = parseStored(store.get("zone"));
  const now = Math.floor(Date.now());
  if (cached?.zone === timeZone && cached.until - now > REFRESH_BEFORE) return { until: cached.until, offsets: cached.offsets };
  const table = await computeInWorker(timeZone, now - SPAN, now + SPAN, baseUrl);
  if (table) store.set("zone", JSON.stringify({ zone: timeZone, ...table }));
  return table;
}

function computeInWorker(zone, from, to, baseUrl) {
  let worker;
  try {
    worker = new Worker(new URL("widget-zone.js", baseUrl));
  } catch {
    return Promise.resolve(null); // cross-origin script or no workers: the engine uses Intl
  }
  return new Promise((resolve, reject) => {
    const done = (settle, value) => {
      clearTimeout(timer);
      worker.terminate();
      settle(value);
    };
    const timer = setTimeout(() => done(resolve, null), WORKER_TIMEOUT_MS);
    worker.onmessage = ({ data }) => (data.error ? done(reject, new Error(data.error)) : done(resolve, data));
    worker.onerror = () => done(resolve, null);
    worker.postMessage({ zone, from, to });
  });
}
