// The UTC offsets of every IANA time zone over a span of years, computed at
// build time with Node's Intl, for the widget's engine (its `timeZoneTable`):
// a page then makes no Intl time-zone call on its main thread. The names are
// the IANA database's zones and links, read from the tz files chrono-tz (the
// native engine's zone data) carries, plus what Intl itself lists; a name
// Node's Intl does not know is left out.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
/** The tz source files that hold `Zone` and `Link` lines. */
const REGIONS = ["africa", "antarctica", "asia", "australasia", "backward", "etcetera", "europe", "northamerica", "southamerica"];

/** Every zone and link name of the tz database of the chrono-tz crate in Cargo.lock (a native dependency: fetched for this host). */
function tzdataNames(root) {
  const host = /^host: (\S+)$/m.exec(execFileSync("rustc", ["-vV"], { encoding: "utf8" }))[1];
  const args = ["metadata", "--format-version", "1", "--filter-platform", host, "--manifest-path", join(root, "Cargo.toml")];
  const metadata = execFileSync("cargo", args, { maxBuffer: 256 << 20 });
  const crate = JSON.parse(metadata).packages.find((p) => p.name === "chrono-tz");
  assert.ok(crate, "chrono-tz is a dependency (its tz files list the zone names)");
  const names = [];
  for (const region of REGIONS) {
    const file = join(dirname(crate.manifest_path), "tz", region);
    assert.ok(existsSync(file), `${file} exists`);
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const found = /^Zone\s+(\S+)/.exec(line) ?? /^Link\s+\S+\s+(\S+)/.exec(line);
      if (found) names.push(found[1]);
    }
  }
  return names;
}

/** The offset of `format`'s zone at `ms`, in minutes (its `longOffset` name, "GMT+05:30"). */
function offsetAt(format, ms) {
  const text = format.format(ms);
  const found = /GMT(?:([+-])(\d\d):(\d\d))?$/.exec(text);
  assert.ok(found, `an offset to the minute in "${text}"`);
  return found[1] ? (found[1] === "-" ? -1 : 1) * (Number(found[2]) * 60 + Number(found[3])) : 0;
}

/**
 * `{until, offsets: [[fromMs, minutes], …]}` of `zone` from `from` to
 * `until`: a day-by-day scan, each change found to the minute by bisection.
 */
function table(zone, from, until) {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  const offsets = [[from, offsetAt(format, from)]];
  for (let day = from; day < until; day += DAY) {
    let low = day;
    let high = Math.min(day + DAY, until - MINUTE);
    const before = offsetAt(format, low);
    if (offsetAt(format, high) === before) continue;
    while (high - low > MINUTE) {
      const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
      if (offsetAt(format, middle) === before) low = middle;
      else high = middle;
    }
    offsets.push([high, offsetAt(format, high)]);
  }
  return { until, offsets };
}

/** True when Node's Intl knows `zone`. */
function known(zone) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The table of every zone name `keep` accepts, by name (sorted), from
 * `from` to `until` (UTC ms, whole minutes). Aliases share their zone's
 * computation.
 */
export function zoneTables(root, { from, until, keep }) {
  const names = [...new Set([...tzdataNames(root), ...Intl.supportedValuesOf("timeZone")])].filter((zone) => keep(zone) && known(zone)).sort();
  assert.ok(names.length > 400, `the tz database lists ${names.length} zones`);
  const byZone = new Map();
  const tables = new Map();
  for (const name of names) {
    const zone = new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
    if (!byZone.has(zone)) byZone.set(zone, table(zone, from, until));
    tables.set(name, byZone.get(zone));
  }
  return tables;
}
