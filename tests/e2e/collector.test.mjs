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
import { TOKEN, startCollector } from "./lib/collector.mjs";
import { until } from "./lib/page.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The engine configuration of the demo pages' widget tag. */
const CONFIG = {
  siteKey: "acme-demo",
  timeZone: "Europe/Amsterdam",
  openingHours: { mon: [["08:00", "18:00"]], tue: [["08:00", "18:00"]], wed: [["08:00", "18:00"]], thu: [["08:00", "18:00"]], fri: [["08:00", "18:00"]], sat: [["10:00", "14:00"]] },
  goals: ["purchase", "signup"],
  tags: ["complaint"],
};

let collector, base;

before(async () => {
  collector = await startCollector({ sites: [{ key: "acme-demo", timeZone: "Europe/Amsterdam" }, { key: "acme-private" }] });
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

test("KPIs from the collector equal the KPIs of the same visitors' events", async () => {
  const visitors = await simulate({ baseUrl: base, visitors: 8, days: 3, seed: 42, recordEvents: true });
  const pageViews = visitors.flatMap((v) => v.events).filter((e) => e.type === "page_view").length;
  assert.ok(pageViews >= 8, `${pageViews} page views`);
  let response;
  await until(async () => {
    response = await api(`/api/kpis?site=acme-demo&bucket=day`);
    return response.kpis?.byHour.reduce((sum, h) => sum + h.pageViews, 0) === pageViews;
  }, "all reports at the collector", 15_000);
  const expected = await expectedKpis(visitors);
  // A chat closed by the visitor leaving ends when the page closes, a moment after the
  // simulator noted `leftAt`: handle times may only be that much longer.
  const [actualHandle, expectedHandle] = [response.kpis, expected].map((k) => k.speed.handleTime);
  assert.equal(actualHandle.count, expectedHandle.count);
  assert.ok(actualHandle.mean === expectedHandle.mean || (actualHandle.mean > expectedHandle.mean && actualHandle.mean - expectedHandle.mean < 5), `handle time ${actualHandle.mean} s against ${expectedHandle.mean} s`);
  for (const k of [response.kpis, expected]) delete k.speed.handleTime;
  assert.deepEqual(response.kpis, expected);
  assert.ok(response.series.length >= 3, "daily buckets across the range");
});

test("the dashboard renders the collector's figures", async () => {
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${base}/dashboard/#token=${TOKEN}`);
  await page.waitForSelector(".tile");
  await page.waitForTimeout(500);
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
  const now = Date.now();
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
