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
 * an engine construction. When the engine refuses the table (its errors
 * name the field, `timeZoneTable…`), the table is left out for the page and
 * the construction made once more without it: the engine then asks Intl.
 */
export function withZoneTable(config, file, warn) {
  const table = zoneTable(config.timeZone, file, Date.now());
  const withoutTable = () => {
    delete config.timeZoneTable;
    if (!knownZone(config.timeZone)) {
      warn(`data-time-zone="${config.timeZone}" is not an IANA time zone; using "UTC"`);
      config.timeZone = "UTC";
    }
  };
  if (table) config.timeZoneTable = table;
  else withoutTable();
  return (make) => {
    try {
      return make(config);
    } catch (error) {
      if (!config.timeZoneTable || !String(error?.message).startsWith("timeZoneTable")) throw error;
      withoutTable();
      return make(config);
    }
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
