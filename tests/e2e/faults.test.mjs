// Faults across the real widget in Chromium and the real collector: the
// collector down for a while, killed with SIGKILL while reports stream in,
// device clocks hours off, replayed reports, a disallowed origin, an unknown
// site key, oversized and deeply nested bodies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CROSS_PORT_LOOPBACK, launch } from "./lib/browser.mjs";
import { startCollector } from "./lib/collector.mjs";
import { until } from "./lib/page.mjs";
import { startServer } from "./lib/server.mjs";
import { widgetStarted } from "./lib/site.mjs";

const HOUR = 3_600_000;
/** The collector's "now" at its start: well inside an hour, so no step of a test crosses into the next. */
const NOW = Date.parse("2026-11-24T10:05:00Z");
let browser, collector;

before(async () => {
  browser = await launch(CROSS_PORT_LOOPBACK);
  // The collector serves the fixture site itself, so reports are same-origin.
  collector = await startCollector({ sites: [{ key: "acme-help" }], mounts: ["/=tests/e2e/fixtures/site", "/support-kpi=pkg"], now: NOW });
});
after(async () => {
  await browser?.close();
  await collector?.close();
});

/** Reports counted and page views in the 7 days before the collector's start and the 2 hours after it. */
async function counted() {
  const answer = await collector.api(`/api/kpis?site=acme-help&from=${NOW - 7 * 24 * HOUR}&to=${NOW + 2 * HOUR}`);
  return { reports: answer.reports, pageViews: answer.kpis.byHour.reduce((sum, h) => sum + h.pageViews, 0) };
}

/** A visitor with Playwright's clock (so backoff can be fast-forwarded), at `clockAt` (ms), on the help page. */
async function visitor(clockAt = NOW) {
  const context = await browser.newContext();
  await context.clock.install({ time: clockAt });
  const page = await context.newPage();
  await page.goto(`${collector.url}/help/`);
  await widgetStarted(page);
  return { context, page };
}

/** How many reports the widget on `page` keeps for sending, and whether it knows the collector is down. */
const outbox = (page) =>
  page.evaluate(() => ({
    kept: JSON.parse(localStorage.getItem("supportKpi:acme-help:outbox") || "[]").length,
    down: localStorage.getItem("supportKpi:acme-help:down") !== null,
  }));

/** Tracks one more page view (an SPA navigation) and asks for a report at once. */
const reportOnePageView = (page, n) =>
  page.evaluate((path) => {
    history.pushState({}, "", path);
    supportKpi("flush");
  }, `/help/step-${n}`);

test("collector down for a while, then back: every report arrives, once", async () => {
  const before = await counted();
  const { context, page } = await visitor();
  await collector.stop();
  for (let n = 0; n < 3; n++) await reportOnePageView(page, n); // three reports, each fails
  await until(async () => {
    const { kept, down } = await outbox(page);
    return kept === 3 && down;
  }, "three kept reports and a failed send");
  await collector.start();
  await context.clock.fastForward(5 * 60_000); // past every backoff step so far
  await until(async () => (await counted()).reports === before.reports + 3, "the three kept reports", 10_000);
  await until(async () => (await outbox(page)).kept === 0, "every report acknowledged");
  await context.clock.fastForward(60 * 60_000);
  const after = await counted();
  assert.equal(after.reports, before.reports + 3, "no report twice");
  assert.equal(after.pageViews, before.pageViews + 4, "the first page view and three SPA page views");
  await context.close();
});

test("collector killed (SIGKILL) while reports stream in: nothing acknowledged is lost, nothing counts twice", async () => {
  const before = await counted();
  const { context, page } = await visitor();
  const sent = 12;
  for (let n = 0; n < sent; n++) {
    await reportOnePageView(page, n);
    if (n === 5) await collector.stop("SIGKILL");
    if (n === 8) await collector.start();
  }
  await context.clock.fastForward(10 * 60_000);
  await until(async () => (await counted()).reports === before.reports + sent, "every report", 15_000);
  await until(async () => (await outbox(page)).kept === 0, "every report acknowledged");
  await context.clock.fastForward(60 * 60_000);
  const after = await counted();
  assert.equal(after.reports, before.reports + sent);
  assert.equal(after.pageViews, before.pageViews + sent + 1);
  await context.close();
});

test("a device clock hours off puts its counts in the hour the report arrived", async () => {
  for (const skew of [5 * HOUR, -40 * 24 * HOUR]) {
    const { context, page } = await visitor(NOW + skew);
    const arrived = Math.floor(NOW / HOUR) * HOUR;
    /** Reports the collector holds for the hour of arrival (earlier tests put some there too). */
    const inArrivalHour = async () =>
      (await collector.api(`/api/kpis?site=acme-help&bucket=hour&from=${arrived}&to=${arrived + HOUR}`)).series[0].reports;
    const before = await inArrivalHour();
    await page.evaluate(() => supportKpi("flush"));
    await until(async () => (await inArrivalHour()) === before + 1, `the report in the hour of arrival (clock ${skew / HOUR} h off)`, 10_000);
    const skewed = Math.floor((NOW + skew) / HOUR) * HOUR;
    const there = await collector.api(`/api/kpis?site=acme-help&bucket=hour&from=${skewed}&to=${skewed + HOUR}`);
    assert.equal(there.reports, 0, "nothing in the device's own hour");
    await context.close();
  }
});

test("a replayed report is acknowledged as a duplicate and counted once", async () => {
  const engine = await import("../../pkg/support_kpi.js");
  engine.initSync({ module: readFileSync(new URL("../../pkg/support_kpi_bg.wasm", import.meta.url)) });
  const device = new engine.KpiEngine({ siteKey: "acme-help" });
  device.track({ type: "page_view", ts: NOW, support: true });
  const body = JSON.stringify(device.report());
  const before = await counted();
  const answers = await Promise.all(Array.from({ length: 5 }, () => collector.post(body).then(async (r) => [r.status, (await r.json()).status])));
  assert.deepEqual(answers.filter(([, status]) => status === "stored").length, 1);
  assert.ok(answers.every(([code]) => code === 202));
  assert.equal((await counted()).reports, before.reports + 1);
});

test("a page on a disallowed origin: the collector refuses, the widget drops the report with one warning", async () => {
  const site = await startServer(fileURLToPath(new URL("fixtures/site", import.meta.url)), { mounts: { "/support-kpi/": fileURLToPath(new URL("../../pkg", import.meta.url)) } });
  const context = await browser.newContext();
  // The same help page, pointing its widget at the collector.
  await context.route(`${site.url}/help/`, async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('data-endpoint="/api/report"', `data-endpoint="${collector.url}/api/report"`);
    await route.fulfill({ response, body: html });
  });
  const page = await context.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(m.text()));
  const before = await counted();
  await page.goto(`${site.url}/help/`);
  await widgetStarted(page);
  await page.evaluate(() => supportKpi("flush"));
  await until(() => messages.some((m) => m.includes("refused a report (HTTP 403)")), "the warning");
  assert.equal((await counted()).reports, before.reports);
  const kept = await page.evaluate(() => localStorage.getItem("supportKpi:acme-help:outbox"));
  assert.deepEqual(JSON.parse(kept), [], "a refused report is not retried");
  assert.deepEqual(messages.filter((m) => m.startsWith("[support-kpi]")), ["[support-kpi] the collector refused a report (HTTP 403); it is dropped"], "one warning");
  await context.close();
  await site.close();
});

test("bad requests: unknown site key, disallowed origin, oversized and deeply nested bodies", async () => {
  const report = (site) => JSON.stringify({ v: 1, site, id: "0".repeat(32), serviceLevelSeconds: 60, period: { from: 1795420800000, to: 1795424400000 }, engagement: [1] });
  const cases = [
    [collector.post(report("nobody")), 400, "site"],
    [collector.post(report("acme-help"), "https://evil.example"), 403, "Origin"],
    [collector.post("x".repeat(70_000)), 413, "body"],
    [collector.post(`{"v":1,"site":"acme-help","serviceLevelSeconds":60,"engagement":${"[".repeat(30_000)}${"]".repeat(30_000)}}`), 400, "engagement[0]"],
  ];
  for (const [request, status, field] of cases) {
    const response = await request;
    const body = await response.json();
    assert.equal(response.status, status, JSON.stringify(body));
    assert.equal(body.field, field);
  }
});
