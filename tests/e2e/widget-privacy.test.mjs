// Privacy: record every request a visitor's browser makes during a session
// with a chat, a conversion, a cookie and a query string in the URL, and check
// that what the widget sends is the aggregate report and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { until } from "./lib/page.mjs";
import { assertAggregateReport } from "./lib/schema.mjs";
import { countReportsSent, tracked, useSite, widgetStarted, withAttributes } from "./lib/site.mjs";

const fixture = useSite();

const SECRETS = ["bob@example.com", "order-4711", "s3cr3t-session", "password"];

test("every widget request carries only the aggregate report: no cookies, referrer, URL, identifiers or raw events", async () => {
  const context = await fixture.browser.newContext();
  await countReportsSent(context);
  const page = await context.newPage();
  const seen = [];
  context.on("request", (request) => seen.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postData() }));

  await page.goto(`${fixture.site.url}/help/article.html?email=bob@example.com&order=order-4711#password`);
  await page.evaluate(() => (document.cookie = "session=s3cr3t-session; path=/"));
  await widgetStarted(page);
  await page.locator("#chat-button").scrollIntoViewIfNeeded();
  await tracked(page, "chat_button_impression");
  await page.click("#chat-button");
  await page.evaluate(() => {
    supportKpi("chat", "customer_message");
    supportKpi("chat", "agent_message");
    supportKpi("chat", "ended", { resolved: true });
    supportKpi("chat", "rating", { kind: "csat", score: 5 });
    supportKpi("tag", "complaint");
  });
  await page.click("#to-shop");
  await widgetStarted(page);
  await page.click("#buy");
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  await until(() => fixture.site.reports().length >= 1, "the report");
  await fixture.arrived(context, 0);

  const origin = new URL(fixture.site.url).origin;
  const widgetRequests = seen.filter((r) => r.url.includes("/support-kpi/") || r.url.includes("/api/report"));
  const posts = widgetRequests.filter((r) => r.method === "POST");
  const received = fixture.site.requests.filter((r) => r.method === "POST");
  assert.equal(received.length, 1, "one report for the session");
  for (const request of [...posts, ...received]) {
    assert.equal(new URL(request.url, origin).search, "", "no query string on the endpoint");
    assert.equal(request.headers.cookie, undefined, "no cookie");
    assert.equal(request.headers.referer, undefined, "no referrer");
    const text = request.body;
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `the body does not contain ${secret}`);
    assert.ok(!text.includes("/help") && !text.includes("/shop"), "no page paths");
    assertAggregateReport(JSON.parse(text));
  }
  // Nothing else left for the widget: only its own files and the report. (A
  // request sent while the page unloads reaches the server but not the
  // browser-side log, so both logs are checked.)
  const kinds = [...widgetRequests, ...fixture.site.requests.filter((r) => r.path.startsWith("/support-kpi/") || r.path === "/api/report")]
    .map((r) => `${r.method} ${new URL(r.url, origin).pathname.replace(/-[A-Z2-7]{8}\./, "-HASH.")}`);
  assert.deepEqual(
    [...new Set(kinds)].sort(),
    [
      "GET /support-kpi/widget-engine-HASH.wasm",
      "GET /support-kpi/widget-runtime-HASH.js",
      "GET /support-kpi/widget-zone-Europe.Amsterdam-HASH.json",
      "GET /support-kpi/widget.js",
      "POST /api/report",
    ],
  );
  assert.ok(seen.every((r) => new URL(r.url).origin === origin || r.url.startsWith(fixture.elsewhere.url)), "no third-party requests");
  // The report holds the session's aggregates, e.g. one chat and the complaint tag.
  const [report] = fixture.site.reports();
  assert.equal(report.engagement[8], 1);
  assert.deepEqual(report.tags, { complaint: [1] });
  assert.deepEqual(report.csat, [0, 0, 0, 0, 1]);
  assert.deepEqual(report.goals.purchase, [1, 49990, 1, 49990]);
  await context.close();
});

/** A context whose help pages carry `attributes` on the widget's script tag. */
async function contextWithAttributes(attributes) {
  const context = await fixture.browser.newContext();
  await withAttributes(context, fixture.site, attributes);
  return context;
}

test("with data-dp-epsilon the report is noised on the device: noise marker, no durations, hours, goals or tags", async () => {
  const context = await contextWithAttributes('data-dp-epsilon="1"');
  const page = await context.newPage();
  const before = fixture.site.reports().length;
  await page.goto(`${fixture.site.url}/help/article.html`);
  await widgetStarted(page);
  await page.click("#chat-button");
  await page.evaluate(() => {
    supportKpi("chat", "agent_message");
    supportKpi("chat", "ended", { resolved: true });
    supportKpi("chat", "rating", { kind: "csat", score: 5 });
    supportKpi("tag", "complaint");
    supportKpi("conversion", "purchase", { value: 10 });
  });
  await fixture.leave(page, before + 1);
  const report = fixture.site.reports()[before];
  assertAggregateReport(report);
  assert.deepEqual(report.noise, { reports: 1, variance: 14792 });
  await context.close();
});

test("an invalid data-dp-epsilon stops the widget rather than send exact counts", async () => {
  const context = await contextWithAttributes('data-dp-epsilon="lots"');
  await countReportsSent(context);
  const page = await context.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(m.text()));
  await page.goto(`${fixture.site.url}/help/article.html`);
  await until(() => messages.some((m) => m.includes('data-dp-epsilon="lots" is not a number from 0.1 to 10')), "the warning");
  await page.evaluate(() => supportKpi("flush"));
  assert.equal(await page.evaluate(() => window.supportKpi.started), undefined, "the widget did not start");
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  assert.equal(await fixture.sentBy(context), 0, "nothing is sent");
  await context.close();
});
