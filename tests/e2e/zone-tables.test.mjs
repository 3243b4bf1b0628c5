// The time-zone tables the build writes beside the widget (pkg/widget-zone-*):
// one per IANA name Node's Intl knows, aliases included, each named as the
// loader asks for it, each a table the engine accepts, and each offset the
// one Intl gives on both sides of every change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { zoneFile } from "../../www/widget/zone-file.js";
import { KpiEngine, initSync } from "../../pkg/support_kpi.js";

const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
initSync({ module: readFileSync(`${PKG}support_kpi_bg.wasm`) });
const names = readdirSync(PKG).filter((name) => name.startsWith("widget-zone-"));
const tables = names.map((name) => ({ name, ...JSON.parse(readFileSync(PKG + name, "utf8")) }));
const byZone = new Map(tables.map((table) => [table.zone, table]));
const YEAR = 365 * 86_400_000;

/** Minutes east of UTC at `ms` in `zone`, as Intl says. */
function intlOffset(zone, ms) {
  const text = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" }).format(ms);
  const [, sign, hours, minutes] = /GMT(?:([+-])(\d\d):(\d\d))?$/.exec(text);
  return sign ? (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) : 0;
}

test("every IANA zone and link Intl knows has a table, named as the loader asks for it, and UTC none", () => {
  const hash = /-([A-Z2-7]{8})\.json$/.exec(names[0])[1];
  assert.ok(readFileSync(`${PKG}widget.js`, "utf8").includes(hash), "the loader carries the tables' hash");
  for (const table of tables) assert.equal(zoneFile(table.zone, hash), table.name);
  for (const zone of Intl.supportedValuesOf("timeZone")) assert.ok(byZone.has(zone), zone);
  // IANA names that Node's Intl lists under another name, and legacy links.
  for (const zone of ["Asia/Kolkata", "Europe/Kyiv", "Asia/Ho_Chi_Minh", "US/Eastern", "Etc/GMT+5", "GMT"]) assert.ok(byZone.has(zone), zone);
  assert.equal(byZone.get("Asia/Kolkata").offsets.length, 1);
  assert.equal(zoneFile("UTC", hash), null);
  assert.equal(zoneFile("Etc/UTC", hash), null);
  assert.equal(zoneFile("../widget.js", hash), null, "a name no zone has is never fetched");
  assert.equal(zoneFile("Etc/GMT+5", hash), `widget-zone-Etc.GMT~5-${hash}.json`);
});

test("each table spans from a year before the build year to five years after it or more, and the engine accepts it", () => {
  const now = Date.parse(`${new Date().getUTCFullYear()}-01-01T00:00:00Z`);
  for (const table of tables) {
    assert.ok(table.offsets[0][0] <= now - YEAR + 1 && table.until >= now + 5 * YEAR, table.zone);
    new KpiEngine({ siteKey: "zone", timeZone: table.zone, timeZoneTable: { until: table.until, offsets: table.offsets } }).free();
  }
});

test("each table's offsets are Intl's, on both sides of every change", () => {
  for (const { zone, offsets, until } of tables) {
    offsets.forEach(([from, minutes], i) => {
      assert.equal(intlOffset(zone, from), minutes, `${zone} at ${new Date(from).toISOString()}`);
      const end = i + 1 < offsets.length ? offsets[i + 1][0] : until;
      assert.equal(intlOffset(zone, end - 60_000), minutes, `${zone} a minute before ${new Date(end).toISOString()}`);
    });
  }
  // Amsterdam: both daylight-saving changes of each year, and the changes of
  // 2027 from the rules (last Sunday of March and October, 01:00 UTC).
  const amsterdam = byZone.get("Europe/Amsterdam").offsets;
  assert.ok(amsterdam.length >= 3 && amsterdam.every(([, minutes]) => minutes === 60 || minutes === 120), JSON.stringify(amsterdam));
  assert.ok(amsterdam.some(([from, minutes]) => from === Date.UTC(2027, 2, 28, 1) && minutes === 120));
  assert.ok(amsterdam.some(([from, minutes]) => from === Date.UTC(2027, 9, 31, 1) && minutes === 60));
});
