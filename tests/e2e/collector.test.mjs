// The whole pipeline: simulated visitors drive the real widget in Chromium,
// the collector stores their reports, and the KPIs its API returns equal the
// KPIs the engine computes from the same visitors' events directly. Then the
// dashboard renders those figures (a screenshot is kept in tests/e2e/artifacts).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { simulate } from "../../scripts/simulate.mjs";
import { launch } from "./lib/browser.mjs";
import { until } from "./lib/page.mjs";
import { TOKEN, startCollector } from "./lib/collector.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The engine configuration of the demo pages' widget tag. */
const CONFIG = {
  siteKey: "acme-demo",
  timeZone: "Europe/Amsterdam",
  openingHours: { mon: [["08:00", "18:00"]], tue: [["08:00", "18:00"]], wed: [["08:00", "18:00"]], thu: [["08:00", "18:00"]], fri: [["08:00", "18:00"]], sat: [["10:00", "14:00"]] },
  goals: ["purchase", "signup"],
  tags: ["complaint"],
};

/** The pipeline's fixed "now": a Tuesday afternoon in the site's time zone. */
const NOW = Date.parse("2026-11-24T15:00:00+01:00");
const DAY = 86_400_000;

let collector, base;

before(async () => {
  collector = await startCollector({ sites: [{ key: "acme-demo", timeZone: "Europe/Amsterdam" }, { key: "acme-private", dpEpsilon: 2 }], now: NOW });
  base = collector.url;
});

after(() => collector?.close());

const api = (path) => collector.api(path);

/** The KPIs of the visitors' events, one engine per visitor (device), merged. */
async function expectedKpis(visitors) {
  const engine = await import("../../pkg/support_kpi.js");
  engine.initSync({ module: readFileSync(join(ROOT, "pkg/support_kpi_bg.wasm")) });
  const reports = visitors.map(({ events, leftAt }) => {
    const device = new engine.KpiEngine(CONFIG);
    const outcome = device.trackBatch(events);
    assert.deepEqual(outcome.rejected, []);
    device.closeChat(leftAt);
    return device.report();
  });
  return engine.kpisFromReport(reports.reduce((a, b) => engine.mergeReports(a, b)));
}

/** Site-local weekday and minute of the day, from the browser-independent Intl API. */
const LOCAL = new Intl.DateTimeFormat("en-US", { timeZone: CONFIG.timeZone, weekday: "short", hour: "numeric", minute: "numeric", hourCycle: "h23" });

/** The demo's opening hours, written out once more as an oracle: Mon-Fri 08:00-18:00, Sat 10:00-14:00 (start in, end out). */
function inOpeningHours(ts) {
  const parts = Object.fromEntries(LOCAL.formatToParts(ts).map((p) => [p.type, p.value]));
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  if (parts.weekday === "Sun") return false;
  return parts.weekday === "Sat" ? minute >= 600 && minute < 840 : minute >= 480 && minute < 1080;
}

/** Page views among the visitors' recorded events. */
const pageViewsOf = (visitors) => visitors.flatMap((v) => v.events).filter((e) => e.type === "page_view").length;

/**
 * Simulates visitors against `target` (a collector whose clock stands at
 * `now`) and checks that its API's KPIs over `from..to` equal the KPIs of
 * the visitors' own events, once every page view has reached the collector.
 */
async function checkPipeline(target, { now, from, to, ...visits }) {
  const read = () => target.api(`/api/kpis?site=acme-demo&bucket=day&from=${from}&to=${to}`);
  const counted = (response) => response.kpis.byHour.reduce((sum, h) => sum + h.pageViews, 0);
  const delivered = (visitors) => until(async () => counted(await read()) === pageViewsOf(visitors), "every report at the collector");
  const visitors = await simulate({ baseUrl: target.url, seed: 42, now, recordEvents: true, delivered, ...visits });
  const response = await read();
  assert.deepEqual(response.kpis, await expectedKpis(visitors));
  const views = visitors.flatMap((v) => v.events).filter((e) => e.type === "page_view");
  assert.equal(response.kpis.availability.coverage.num, views.filter((e) => inOpeningHours(e.ts)).length, "page views inside opening hours");
  return { response, visitors };
}

test("KPIs from the collector equal the KPIs of the same visitors' events", async () => {
  const { response, visitors } = await checkPipeline(collector, { now: NOW, visitors: 8, days: 3, from: NOW - 4 * DAY, to: NOW + DAY });
  assert.ok(pageViewsOf(visitors) >= 8, `${pageViewsOf(visitors)} page views`);
  assert.ok(response.series.length >= 3, "daily buckets across the range");
  assert.ok(response.kpis.availability.presence.num > 0, "some page views while agents were online");
});

/** Moments in the site's time zone, as `Date.parse` reads them. */
const at = (...stamps) => stamps.map((stamp) => Date.parse(stamp));

/**
 * The same check with "now" on each day of one week, around both
 * daylight-saving changes of the site's time zone, and with visitors
 * arriving at the edges of the opening hours (08:00-18:00 on weekdays,
 * 10:00-14:00 on Saturdays) and of the demo agents' shifts (08:00-17:00,
 * Saturday 10:00-13:00).
 */
const SCENARIOS = [
  ...["23", "24", "25", "26", "27", "28", "29"].map((day) => ({
    name: `now on 2026-11-${day} (${new Date(`2026-11-${day}T12:00:00Z`).toUTCString().slice(0, 3)})`,
    now: Date.parse(`2026-11-${day}T16:30:00+01:00`),
    visitors: 3,
    days: 1,
  })),
  {
    name: "across the autumn daylight-saving change (2026-10-25, 03:00 CEST → 02:00 CET)",
    now: Date.parse("2026-10-26T12:00:00+01:00"),
    arrivals: at("2026-10-25T02:59:30+02:00", "2026-10-25T02:00:00+01:00", "2026-10-25T23:59:30+01:00", "2026-10-26T07:59:30+01:00", "2026-10-26T08:00:00+01:00"),
  },
  {
    name: "across the spring daylight-saving change (2027-03-28, 02:00 CET → 03:00 CEST)",
    now: Date.parse("2027-03-29T12:00:00+02:00"),
    arrivals: at("2027-03-28T01:59:30+01:00", "2027-03-28T03:00:00+02:00", "2027-03-29T07:59:30+02:00", "2027-03-29T08:00:00+02:00"),
  },
  {
    name: "at the edges of the opening hours and of the agents' shifts",
    now: Date.parse("2026-11-28T20:00:00+01:00"),
    arrivals: at(
      "2026-11-23T07:59:59+01:00",
      "2026-11-23T08:00:00+01:00",
      "2026-11-23T16:59:59+01:00",
      "2026-11-23T17:00:00+01:00",
      "2026-11-23T17:59:59+01:00",
      "2026-11-23T18:00:00+01:00",
      "2026-11-28T09:59:59+01:00",
      "2026-11-28T13:00:00+01:00",
      "2026-11-28T14:00:00+01:00",
    ),
  },
];

for (const { name, now, ...visits } of SCENARIOS) {
  test(`the pipeline holds ${name}`, async () => {
    const target = await startCollector({ sites: [{ key: "acme-demo", timeZone: "Europe/Amsterdam" }], now });
    try {
      const earliest = visits.arrivals ? Math.min(...visits.arrivals) : now - 2 * DAY;
      await checkPipeline(target, { now, from: earliest - DAY, to: now + DAY, ...visits });
    } finally {
      await target.close();
    }
  });
}

test("the dashboard renders the collector's figures", async () => {
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.clock.setSystemTime(NOW); // the dashboard's default range ends at the collector's "now"
  await page.goto(`${base}/dashboard/#token=${TOKEN}`);
  await page.waitForSelector(".tile");
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll("#heatmap, #frt, #goals")];
    const drawn = charts.every((c) => c.querySelectorAll("svg path, svg rect").length > 5);
    return drawn && document.querySelectorAll(".spark svg").length === 30; // every tile but the cost per conversation
  });
  const layout = await page.evaluate(() => ({
    families: [...document.querySelectorAll(".family h2")].map((h) => h.textContent),
    tiles: document.querySelectorAll(".tile").length,
    charts: [...document.querySelectorAll("#heatmap, #frt, #goals")].map((c) => c.querySelectorAll("svg path, svg rect").length),
    sparklines: document.querySelectorAll(".spark svg").length,
    tokenInUrl: location.hash.includes("token"),
    loginShown: !document.getElementById("login").hidden,
  }));
  assert.deepEqual(layout.families, ["Engagement", "Availability", "Speed", "Prevention", "Friendliness", "Contribution", "Productivity"]);
  assert.equal(layout.tiles, 31);
  assert.ok(layout.charts.every((shapes) => shapes > 5), `charts drawn: ${layout.charts}`);
  assert.equal(layout.sparklines, 30, "every tile but the cost per conversation");
  assert.equal(layout.tokenInUrl, false, "the token is removed from the address bar");
  assert.equal(layout.loginShown, false);
  await page.hover(".tile >> nth=0");
  assert.match(await page.locator(".tile >> nth=0 >> .detail").innerText(), /chats started \/ .* launcher impressions/);
  mkdirSync(join(ROOT, "tests/e2e/artifacts"), { recursive: true });
  await page.screenshot({ path: join(ROOT, "tests/e2e/artifacts/dashboard.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await browser.close();
});

test("noised reports (data-dp-epsilon): the API and the dashboard say the figures are noisy", async () => {
  const engine = await import("../../pkg/support_kpi.js");
  engine.initSync({ module: readFileSync(join(ROOT, "pkg/support_kpi_bg.wasm")) });
  const now = NOW;
  for (let visitor = 0; visitor < 12; visitor++) {
    const device = new engine.KpiEngine({ siteKey: "acme-private", dpEpsilon: 2 });
    device.trackBatch([
      { type: "page_view", ts: now - 60_000 * (visitor + 1), support: true },
      { type: "chat_button_impression", ts: now - 60_000 * (visitor + 1) + 500 },
    ]);
    const response = await collector.post(JSON.stringify(device.report()));
    assert.equal(response.status, 202);
  }
  const answer = await api("/api/kpis?site=acme-private&bucket=hour&from=" + (now - 86_400_000) + "&to=" + (now + 3_600_000));
  assert.equal(answer.kpis.noise.reports, 12);
  assert.equal(answer.kpis.noise.variance, 12 * 3698, "each report adds 2·(86/2)² to every count's variance");

  const browser = await launch();
  const page = await browser.newPage();
  await page.clock.setSystemTime(NOW);
  await page.goto(`${base}/dashboard/#token=${TOKEN}`);
  await page.waitForSelector(".tile");
  await page.selectOption("#site", "acme-private");
  const badge = page.locator(".summary .noise");
  await badge.waitFor();
  // One standard deviation, as the README says: √(12 · 3,698) ≈ 210.7.
  assert.equal(await badge.innerText(), "Noisy figures: ± 211 per count");
  assert.match(await badge.getAttribute("title"), /^12 of 12 reports were noised on the device/);
  await browser.close();
});
