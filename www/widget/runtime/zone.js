// The site time zone's UTC offsets for the engine (its `timeZoneTable`), so
// that page views make no Intl time-zone call at all. Computing the table
// takes a few hundred Intl calls: it runs in idle slices (no long task, no
// worker, so the widget may be served from any origin), is kept in storage
// for months, and serves from the next page view on; until then the engine
// asks Intl itself. Without persistent storage (memory mode) it is not
// computed: one page is cheaper with Intl.
import { parseStored } from "./store.js";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const SPAN = 400 * DAY;
const REFRESH_BEFORE = 30 * DAY;

/**
 * The stored table for `timeZone` (`{until, offsets: [[fromMs, minutes], …]}`),
 * or null (UTC, or not computed yet: then it is computed for later pages).
 * Throws a RangeError when the zone is unknown.
 */
export function zoneTable(timeZone, store) {
  if (timeZone === "UTC" || timeZone === "Etc/UTC") return null;
  const cached = parseStored(store.get("zone"));
  const now = Date.now();
  if (cached?.zone === timeZone && cached.until - now > REFRESH_BEFORE) return { until: cached.until, offsets: cached.offsets };
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  });
  if (store.available) {
    // Kept only if the visitor has not opted out meanwhile (after a withdrawn consent it goes to memory).
    const keep = (table) => !store.get("optout") && store.set("zone", JSON.stringify({ zone: timeZone, ...table }));
    whenIdle(offsets(format, now - SPAN, now + SPAN), keep);
  }
  return null;
}

/** Runs the steps of `work` while the page is idle; calls `done` with its result. */
function whenIdle(work, done) {
  const idle = window.requestIdleCallback ?? ((run) => setTimeout(() => run({ timeRemaining: () => 5 }), 50));
  const slice = (deadline) => {
    while (deadline.timeRemaining() > 1) {
      const step = work.next();
      if (step.done) return done(step.value);
    }
    idle(slice);
  };
  idle(slice);
}

/** Offsets from `from` to `to`, a day per step: a day-by-day scan, each change found to the minute by bisection. */
function* offsets(format, from, to) {
  const offset = (ms) => {
    const [month, day, year, hour, minute] = format.format(ms).match(/\d+/g).map(Number);
    return Math.round((Date.UTC(year, month - 1, day, hour % 24, minute) - Math.floor(ms / MINUTE) * MINUTE) / MINUTE);
  };
  const start = Math.floor(from / MINUTE) * MINUTE;
  const changes = [[start, offset(start)]];
  for (let day = start; day < to; day += DAY) {
    yield;
    let low = day;
    let high = Math.min(day + DAY, to);
    if (offset(high) === offset(low)) continue;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offset(middle) === offset(low)) low = middle;
      else high = middle;
    }
    changes.push([high, offset(high)]);
  }
  return { until: to, offsets: changes };
}
