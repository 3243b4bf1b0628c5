// The site time zone's UTC offsets for the engine (its `timeZoneTable`),
// computed with Intl once per device and kept in storage for months, so that
// later page views make no Intl time-zone call at all. Without persistent
// storage (memory mode) no table is computed: the engine asks Intl itself,
// which costs less than building a table for one page.
import { parseStored } from "./store.js";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const SPAN = 400 * DAY;
const REFRESH_BEFORE = 30 * DAY;

/**
 * The table for `timeZone`: null for UTC (nothing to look up) or without
 * persistent storage, else `{until, offsets: [[fromMs, minutes], …]}`.
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
  if (!store.available) return null;
  const table = offsets(format, now - SPAN, now + SPAN);
  store.set("zone", JSON.stringify({ zone: timeZone, ...table }));
  return table;
}

/** Offsets from `from` to `to`: one day-by-day scan, each change found to the minute by bisection. */
function offsets(format, from, to) {
  const offset = (ms) => {
    const [month, day, year, hour, minute] = format.format(ms).match(/\d+/g).map(Number);
    return Math.round((Date.UTC(year, month - 1, day, hour % 24, minute) - Math.floor(ms / MINUTE) * MINUTE) / MINUTE);
  };
  const start = Math.floor(from / MINUTE) * MINUTE;
  const changes = [[start, offset(start)]];
  for (let day = start; day < to; day += DAY) {
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
