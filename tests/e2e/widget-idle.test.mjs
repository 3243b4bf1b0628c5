// Lighter on the page: before the page's first idle period the widget is the
// loader alone. The runtime and the engine are fetched once the page is idle
// (requestIdleCallback, or a timeout where the browser has none), no storage
// is touched before then, and every event the page had until then is
// counted. The page's clock stands still (Playwright's clock), so "before
// idle" lasts until the test moves time on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { until } from "./lib/page.mjs";
import { instrumentStorage } from "./lib/storage.mjs";
import { useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();
const NOW = Date.UTC(2026, 2, 10, 9);

for (const idle of ["requestIdleCallback", "a timeout (no requestIdleCallback)"]) {
  test(`before the first idle (${idle}) only the loader is fetched and no storage touched; no event is lost`, async () => {
    const context = await fixture.browser.newContext();
    await context.addInitScript(instrumentStorage);
    const page = await context.newPage();
    const fetched = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname.replace(/-[A-Z2-7]{8}\./, "-HASH.")));
    await page.clock.install({ time: NOW });
    await page.clock.pauseAt(NOW + 1000);
    if (idle !== "requestIdleCallback") await page.addInitScript(() => delete window.requestIdleCallback);

    await page.goto(`${fixture.site.url}/help/article.html`);
    assert.equal(await page.evaluate(() => typeof window.requestIdleCallback), idle === "requestIdleCallback" ? "function" : "undefined");
    await page.evaluate(() => {
      history.pushState({}, "", "/help/other.html");
      supportKpi("tag", "complaint");
      supportKpi("conversion", "purchase", 5);
      supportKpi("onEvent", (event) => (window.seen ??= []).push(event.type));
    });
    const widgetFiles = () => fetched.filter((path) => path.startsWith("/support-kpi/"));
    assert.deepEqual(widgetFiles(), ["/support-kpi/widget.js"], "the loader alone");
    assert.deepEqual(await page.evaluate(() => window.storageTouched), [], "no storage touched");
    assert.equal(await page.evaluate(() => window.supportKpi.started), undefined, "the widget waits for idle");

    await page.clock.runFor(1000); // the page's first idle period
    await widgetStarted(page);
    assert.deepEqual(widgetFiles().sort(), [
      "/support-kpi/widget-engine-HASH.wasm",
      "/support-kpi/widget-runtime-HASH.js",
      "/support-kpi/widget-zone-Europe.Amsterdam-HASH.json",
      "/support-kpi/widget.js",
    ]);
    assert.deepEqual(await page.evaluate(() => window.seen), ["availability", "page_view", "page_view", "tag", "conversion"]);
    const before = fixture.site.reports().length;
    await page.evaluate(() => supportKpi("flush"));
    await until(() => fixture.site.reports().length > before, "the report");
    const report = fixture.site.reports()[before];
    assert.deepEqual(report.tags, { complaint: [1] });
    assert.equal(report.goals.purchase[0], 1);
    await context.close();
  });
}

test("the engine is fetched and compiled (compileStreaming) while the runtime loads, not after it", async () => {
  const context = await fixture.browser.newContext();
  await context.addInitScript(() => {
    const { compileStreaming } = WebAssembly;
    window.streamed = 0;
    WebAssembly.compileStreaming = function () {
      window.streamed += 1;
      return compileStreaming.apply(this, arguments);
    };
  });
  // The runtime's response is held until the engine's request is seen: were
  // the engine fetched only once the runtime ran, this would never finish.
  let engineRequested;
  const engineSeen = new Promise((resolve) => (engineRequested = resolve));
  context.on("request", (request) => request.url().includes("/widget-engine-") && engineRequested());
  await context.route("**/support-kpi/widget-runtime-*.js", async (route) => {
    await engineSeen;
    await route.continue();
  });
  const page = await context.newPage();
  await page.goto(`${fixture.site.url}/help/article.html`);
  await widgetStarted(page);
  assert.equal(await page.evaluate(() => window.streamed), 1, "one streaming compilation");
  await context.close();
});
