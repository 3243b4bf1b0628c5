// The site time zone's UTC offsets for the engine (its `timeZoneTable`), so
// that page views make no Intl time-zone call at all: the build writes a
// table per IANA zone (scripts/zone-tables.mjs) and the loader fetches the
// site's while the runtime loads. The file is hostile input: one that is
// missing, malformed, for another zone or not covering now leaves the engine
// to ask Intl itself, as it would without tables.
import { KpiEngine } from "support-kpi";
import { isUtc } from "../zone-file.js";

/**
 * The table in `file` (the loader's parsed JSON, or null) for `timeZone`
 * when it is that zone's and covers `now`, as `{until, offsets}`; else
 * null. The engine checks the rest (fields, shape, order, bounds): the
 * table must make a valid configuration on its own.
 */
export function zoneTable(timeZone, file, now) {
  if (file?.zone !== timeZone) return null;
  const table = { ...file };
  delete table.zone;
  if (!Array.isArray(table.offsets) || !(table.offsets[0]?.[0] <= now && now < table.until)) return null;
  try {
    new KpiEngine({ siteKey: "zone", timeZone, timeZoneTable: table }).free();
    return table;
  } catch {
    return null;
  }
}

/** True when the engine can use `timeZone` without a table (UTC, or a zone Intl knows: the Intl call this module spares pages otherwise). */
export function knownZone(timeZone) {
  if (isUtc(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
