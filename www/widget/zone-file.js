// Where a time zone's UTC offsets are: the build writes one table per IANA
// name (scripts/zone-tables.mjs), the loader fetches the site's. One scheme
// for both, so the names cannot drift apart.

/** True for the names the engine reads as UTC without any table or Intl call. */
export function isUtc(zone) {
  return zone === "UTC" || zone === "Etc/UTC";
}

/**
 * The file holding the table of `zone`, `widget-zone-NAME-HASH.json` ("/"
 * becomes ".", "+" becomes "~", so the name is one URL segment that any
 * static host serves as is; `hash` is the build's hash of all tables); null
 * for UTC, which needs none, and for a name no IANA zone has.
 */
export function zoneFile(zone, hash) {
  if (!zone || isUtc(zone) || !/^[A-Za-z][\w+-]*(\/[\w+-]+)*$/.test(zone)) return null;
  return "widget-zone-" + zone.replace(/\//g, ".").replace(/\+/g, "~") + "-" + hash + ".json";
}
