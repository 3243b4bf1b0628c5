// The site time zone without Intl on the page: the loader fetches the
// build's table for the site's zone beside the runtime, and the engine uses
// it, so the page makes no Intl time-zone call and stores nothing for it. A
// table that is missing, malformed, for another zone or not covering now
// falls back to Intl without a message. Pages run on a fixed clock; the
// opening hours (Tuesday 11:00-12:00 in Amsterdam) show which offset the
// engine used.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setVisibility } from "./lib/page.mjs";
import { useSite, widgetStarted, withAttributes } from "./lib/site.mjs";

const fixture = useSite();
const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
const AMSTERDAM = JSON.parse(readFileSync(PKG + readdirSync(PKG).find((name) => name.startsWith("widget-zone-Europe.Amsterdam-")), "utf8"));
/** Tuesdays at 11:30 in Amsterdam: in summer time (09:30 UTC) and in winter time (10:30 UTC). */
const SUMMER = Date.UTC(2026, 6, 14, 9, 30);
const WINTER = Date.UTC(2026, 0, 13, 10, 30);

/**
 * Visits the help article at `now` (`table`: a body to answer the zone file
 * with, or a status); returns the zone files fetched, the Intl time-zone
 * formats made, whether the engine saw the chat online, the widget's
 * messages, the storage keys and page errors.
 */
async function visit(now, table) {
  const context = await fixture.browser.newContext();
  await withAttributes(context, fixture.site, 'data-opening-hours="tue 11:00-12:00"');
  if (table !== undefined) {
    await context.route("**/support-kpi/widget-zone-*.json", (route) =>
      typeof table === "number" ? route.fulfill({ status: table, body: "" }) : route.fulfill({ contentType: "application/json", body: typeof table === "string" ? table : JSON.stringify(table) }),
    );
  }
  await context.addInitScript(() => {
    window.zoneFormats = 0;
    const count = (args) => args[1]?.timeZone !== undefined && (window.zoneFormats += 1);
    Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, {
      construct: (target, args) => (count(args), Reflect.construct(target, args)),
      apply: (target, self, args) => (count(args), Reflect.apply(target, self, args)),
    });
    window.supportKpi = function () {
      (window.supportKpi.q = window.supportKpi.q || []).push(arguments);
    };
    window.supportKpi("onEvent", (event) => event.type === "availability" && (window.online = event.online));
  });
  const page = await context.newPage();
  const fetched = [];
  page.on("request", (request) => request.url().includes("/widget-zone-") && fetched.push(new URL(request.url()).pathname.replace(/-[A-Z2-7]{8}\./, "-HASH.")));
  const messages = [];
  const errors = [];
  page.on("console", (m) => m.text().startsWith("[support-kpi]") && messages.push(m.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.clock.setFixedTime(now);
  await page.goto(`${fixture.site.url}/help/article.html`);
  await widgetStarted(page);
  await setVisibility(page, "hidden"); // the page stores its state
  const seen = await page.evaluate(() => ({ formats: window.zoneFormats, online: window.online, stored: { ...localStorage } }));
  await context.close();
  return { fetched, messages, errors, ...seen };
}

for (const [season, now] of [["summer", SUMMER], ["winter", WINTER]]) {
  test(`the site zone's table comes beside the runtime: local ${season} time with no Intl time-zone call and nothing stored`, async () => {
    const seen = await visit(now);
    assert.deepEqual(seen.fetched, ["/support-kpi/widget-zone-Europe.Amsterdam-HASH.json"]);
    assert.equal(seen.formats, 0, "no Intl.DateTimeFormat with a time zone");
    assert.equal(seen.online, true, "11:30 in Amsterdam is inside the opening hours");
    assert.ok(Object.keys(seen.stored).some((key) => key.includes(":state:")), "the hidden page stored its state");
    for (const [key, value] of Object.entries(seen.stored)) {
      assert.ok(!key.endsWith(":zone") && !value.includes("Europe/Amsterdam") && !value.includes('"offsets"'), `no time-zone table in storage: ${key}`);
    }
    assert.deepEqual(seen.messages, []);
    assert.deepEqual(seen.errors, []);
  });
}

const [first, second] = AMSTERDAM.offsets;
test("the engine takes the table as it is: one that says UTC puts 09:30 UTC outside the opening hours", async () => {
  const seen = await visit(SUMMER, { ...AMSTERDAM, offsets: [[first[0], 0]] });
  assert.equal(seen.formats, 0);
  assert.equal(seen.online, false);
});

for (const [what, table] of [
  ["missing (404)", 404],
  ["not JSON", "{"],
  ["an array", [AMSTERDAM]],
  ["for another zone", { ...AMSTERDAM, zone: "Europe/London" }],
  ["expired", { ...AMSTERDAM, until: SUMMER - 1 }],
  ["not started yet", { ...AMSTERDAM, offsets: [[SUMMER + 1, 120]] }],
  ["out of order", { ...AMSTERDAM, offsets: [second, first, ...AMSTERDAM.offsets.slice(2)] }],
  ["an offset out of bounds", { ...AMSTERDAM, offsets: [[first[0], 2000]] }],
  ["a change that is not a pair", { ...AMSTERDAM, offsets: [[first[0], 60, 0]] }],
  ["a fractional instant", { ...AMSTERDAM, offsets: [[first[0] + 0.5, 60]] }],
  ["too many changes", { ...AMSTERDAM, offsets: Array.from({ length: 65 }, (_, i) => [first[0] + i, 120]) }],
  ["an unknown field", { ...AMSTERDAM, rules: [] }],
]) {
  test(`a bad zone table (${what}) falls back to Intl without a message`, async () => {
    const seen = await visit(SUMMER, table);
    assert.ok(seen.formats > 0, "Intl answered instead");
    assert.equal(seen.online, true, "still Amsterdam's local time");
    assert.deepEqual(seen.messages, []);
    assert.deepEqual(seen.errors, []);
  });
}
