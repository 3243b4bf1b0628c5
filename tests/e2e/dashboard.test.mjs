// The dashboard as a support manager uses it: simulated visitors' reports at
// the collector, then the dashboard at 1440 px and at 390 px. Its tiles show
// the API's figures with their sample size and change, the staffing view the
// API's advice, the CSV download the API's series; it refreshes itself while
// the range includes now (driven by a fake clock). Screenshots of both widths
// are kept in tests/e2e/artifacts.
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
const ARTIFACTS = join(ROOT, "tests/e2e/artifacts");
const decimal = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (value) => (value == null ? "–" : `${decimal.format(value * 100)} %`);

let collector, browser, pageViews;

before(async () => {
  collector = await startCollector({
    sites: [{ key: "acme-demo", timeZone: "Europe/Amsterdam", monthlySupportCost: 9000 }, { key: "acme-one" }],
  });
  browser = await launch();
  const visitors = await simulate({ baseUrl: collector.url, visitors: 10, days: 5, seed: 15, recordEvents: true });
  pageViews = visitors.flatMap((v) => v.events).filter((e) => e.type === "page_view").length;
  await until(async () => {
    const answer = await collector.api("/api/kpis?site=acme-demo&bucket=day");
    return answer.kpis?.byHour.reduce((sum, h) => sum + h.pageViews, 0) === pageViews;
  }, "all reports at the collector", 15_000);
});

after(async () => {
  await browser?.close();
  await collector?.close();
});

/** Opens the dashboard at `width` px with a fake clock; resolves once tiles and staffing are drawn. */
async function open(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const reads = [];
  page.on("request", (r) => r.url().includes("/api/kpis?") && reads.push(new URL(r.url())));
  await page.clock.install();
  await page.goto(`${collector.url}/dashboard/#token=${TOKEN}`);
  await page.waitForFunction(() => /report/.test(document.getElementById("status").textContent));
  await page.waitForFunction(() => document.getElementById("staffing-hint").textContent.length > 0);
  return { page, context, errors, reads };
}

/** The tile labelled `label`: its headline, change and sample size. */
async function tile(page, label) {
  return page.evaluate((label) => {
    const box = [...document.querySelectorAll(".tile")].find((t) => t.querySelector(".label").textContent === label);
    return { value: box.querySelector(".value").textContent, change: box.querySelector(".change").textContent, n: box.querySelector(".n").textContent };
  }, label);
}

test("at 1440 px the tiles, staffing and heatmap show the API's figures", async () => {
  const { page, context, errors, reads } = await open(1440);
  const range = reads[0];
  const api = await collector.api(`/api/kpis?${range.searchParams}`);
  assert.equal(reads.length, 2, "the range and the previous period");
  const previous = reads[1].searchParams;
  assert.equal(Number(previous.get("to")), Number(range.searchParams.get("from")));
  assert.equal(Number(previous.get("to")) - Number(previous.get("from")), Number(range.searchParams.get("to")) - Number(range.searchParams.get("from")));

  assert.equal(await page.locator(".tile").count(), 31);
  assert.equal(await page.locator(".spark svg").count(), 30, "every tile but the cost per conversation has a sparkline");
  const level = await tile(page, "Service level (online)");
  assert.equal(level.value, percent(api.kpis.speed.serviceLevelOnline.value));
  assert.equal(level.n, `n = ${api.kpis.speed.serviceLevelOnline.den}`);
  assert.match(level.change, /^[▲▼▶] /);
  const offline = await tile(page, "Offline messages");
  assert.equal(offline.value, percent(api.kpis.availability.offlineMessages.value));
  assert.equal(offline.n, `n = ${api.kpis.engagement.chatEngagementRatio.num}`, "over all chats started");
  const handle = await tile(page, "Handle time");
  assert.equal(handle.n, `n = ${api.kpis.speed.handleTime.count}`);
  assert.ok(api.kpis.speed.handleTime.count > 0, "the demo's chats have handle times");
  const cost = await tile(page, "Cost per conversation");
  assert.equal(cost.value, money.format(api.costPerConversation.value));
  assert.equal(cost.n, `n = ${api.costPerConversation.chats}`);
  for (const label of await page.locator(".tile .n").allInnerTexts()) assert.match(label, /^n = [\d,]+$|^n = –$/);

  const staffing = await collector.api(`/api/staffing?site=acme-demo&from=${range.searchParams.get("from")}&to=${range.searchParams.get("to")}&target=0.8&concurrency=1&shrinkage=0&maxOccupancy=1`);
  const drawn = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("staffing")).getOption().series[0].data);
  assert.deepEqual(drawn.map((cell) => cell.value[2]), staffing.hours.map((h) => h.advice?.scheduled ?? 0));
  assert.ok(drawn.some((cell) => cell.value[2] > 0), "some hour needs an agent");
  assert.match(await page.locator("#staffing-hint").innerText(), /handle time .* \(mean of \d+ chats?\)/);

  const heat = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("heatmap")).getOption().series[0].data);
  const offlineCells = api.kpis.byWeekdayHour.pageViews.flatMap((hours, day) => hours.map((views, hour) => views - api.kpis.byWeekdayHour.onlinePageViews[day][hour]));
  assert.deepEqual(heat.map((cell) => cell.label.show), offlineCells.map((n) => n > 0), "a label (and its white pill) only where chat was offline");

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-1440.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("at 390 px nothing is cut off and nothing scrolls sideways", async () => {
  const { page, context, errors } = await open(390);
  const layout = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    outside: [...document.querySelectorAll(".bar > *, .tile, .panel, .summary > *")]
      .map((node) => node.getBoundingClientRect())
      .filter((box) => box.left < 0 || box.right > 390).length,
  }));
  assert.ok(layout.scrollWidth <= 390, `page is ${layout.scrollWidth} px wide`);
  assert.equal(layout.outside, 0, "every header control, tile and panel is inside the viewport");
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "dashboard-390.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the CSV download is the API's series; typed dates pick any range; a live range refreshes itself", async () => {
  const { page, context, errors, reads } = await open(1440);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\r\n");
  const range = reads[0].searchParams;
  const api = await collector.api(`/api/kpis?${range}`);
  assert.equal(csv.length, api.series.length + 1, "a header and one row per bucket");
  const header = csv[0].split(",");
  const column = header.indexOf("speed.serviceLevelOnline.den");
  assert.ok(column > 0 && header.includes("speed.serviceLevelOnline.num"), header.join(","));
  assert.deepEqual(csv.slice(1).map((row) => Number(row.split(",")[column])), api.series.map((b) => b.kpis.speed.serviceLevelOnline.den));

  assert.match(await page.locator("#status").innerText(), /refreshes every minute/);
  const before = reads.length;
  await page.clock.fastForward("01:01");
  await until(() => reads.length >= before + 2, "a refresh of the range and its previous period");

  // Two days in the past, typed: an hourly range that does not include now.
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const typed = reads.length;
  await page.fill("#to-date", day(-1));
  await page.fill("#from-date", day(-2));
  await until(() => reads.some((url, i) => i >= typed && url.searchParams.get("bucket") === "hour"), "a read of the typed range");
  await page.waitForFunction(() => /report/.test(document.getElementById("status").textContent));
  assert.equal(await page.locator("#range").inputValue(), "custom");
  assert.doesNotMatch(await page.locator("#status").innerText(), /refreshes/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("one report is '1 report'", async () => {
  const engine = await import("../../pkg/support_kpi.js");
  engine.initSync({ module: readFileSync(join(ROOT, "pkg/support_kpi_bg.wasm")) });
  const device = new engine.KpiEngine({ siteKey: "acme-one" });
  device.track({ type: "page_view", ts: Date.now() - 60_000, support: true });
  assert.equal((await collector.post(JSON.stringify(device.report()))).status, 202);
  const { page, context } = await open(1440);
  await page.selectOption("#site", "acme-one");
  await page.waitForFunction(() => /^1 report ·/.test(document.getElementById("status").textContent));
  await context.close();
});

test("a failed read clears every figure and says what failed", async () => {
  const { page, context } = await open(1440);
  assert.ok((await page.locator(".tile").count()) > 0, "figures before the failure");
  await page.route("**/api/kpis?**", (route) => route.abort("connectionrefused"));
  await page.selectOption("#range", "30");
  await page.waitForFunction(() => document.getElementById("status").classList.contains("error"));
  const status = await page.locator("#status").innerText();
  assert.match(status, /^Could not read the KPIs of acme-demo, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: /);
  assert.equal(await page.locator("#dashboard").isHidden(), true, "no figure of the last range stays on screen");
  assert.equal(await page.locator(".tile").count(), 0);
  await page.unroute("**/api/kpis?**");
  await page.selectOption("#range", "7");
  await page.waitForFunction(() => /report/.test(document.getElementById("status").textContent));
  assert.equal(await page.locator("#dashboard").isHidden(), false, "the next good read shows the figures again");
  await context.close();
});
