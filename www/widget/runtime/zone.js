// The site time zone's UTC offsets for the engine (its `timeZoneTable`), so
// that page views make no Intl time-zone call at all: the build writes a
// table per IANA zone (scripts/zone-tables.mjs) and the loader fetches the
// site's while the runtime loads. The file is hostile input: one that is
// missing, malformed, for another zone or not covering now leaves the engine
// to ask Intl itself, as it would without tables. The engine checks the rest
// of the table when the page's first engine is built with it; if it refuses
// that configuration, the engine is built again without the table.
import { isUtc } from "../zone-file.js";

/**
 * The table in `file` (the loader's parsed JSON, or null) for `timeZone`
 * when it is that zone's and covers `now`, as `{until, offsets}`; else
 * null. Its fields, shape, order and bounds are the engine's to check
 * (`withZoneTable`).
 */
function zoneTable(timeZone, file, now) {
  if (file?.zone !== timeZone) return null;
  const table = { ...file };
  delete table.zone;
  return Array.isArray(table.offsets) && table.offsets[0]?.[0] <= now && now < table.until ? table : null;
}

/**
 * Gives `config` the site zone's table from `file` (else checks the zone
 * as the engine will need Intl for it: one Intl does not know becomes UTC
 * with a warning) and returns `build(make)`, which returns `make(config)`,
 * an engine construction. Until one construction with the table succeeded,
 * one that throws is tried once without it: if that succeeds, the table was
 * at fault and stays out (the engine asks Intl); if not, the table stays
 * and the first error is thrown.
 */
export function withZoneTable(config, file, warn) {
  const { timeZone } = config;
  const withoutTable = () => {
    delete config.timeZoneTable;
    if (!knownZone(timeZone)) {
      warn(`data-time-zone="${timeZone}" is not an IANA time zone; using "UTC"`);
      config.timeZone = "UTC";
    }
  };
  let table = zoneTable(timeZone, file, Date.now());
  if (table) config.timeZoneTable = table;
  else withoutTable();
  return (make) => {
    if (!table) return make(config);
    let made;
    try {
      made = make(config);
    } catch (error) {
      withoutTable();
      try {
        made = make(config);
      } catch {
        Object.assign(config, { timeZone, timeZoneTable: table });
        throw error;
      }
    }
    table = null; // confirmed or left out: the engine's answer holds for the page
    return made;
  };
}

/** True when the engine can use `timeZone` without a table (UTC, or a zone Intl knows: the Intl call this module spares pages otherwise). */
function knownZone(timeZone) {
  if (isUtc(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}
