// Privacy: record every request a visitor's browser makes during a session
// with a chat, a conversion, a cookie and a query string in the URL, and check
// that what the widget sends is the aggregate report and nothing else.
import { test } from "node:test";
import assert from "node:assert/strict";
import { until } from "./lib/page.mjs";
import { NOT_NOISED, assertAggregateReport } from "./lib/schema.mjs";
import { startRecordingProxy } from "./lib/proxy.mjs";
import { countReportsSent, tracked, useSite, widgetStarted, withAttributes } from "./lib/site.mjs";

const fixture = useSite();

const SECRETS = ["bob@example.com", "order-4711", "s3cr3t-session", "password"];

test("every widget request carries only the aggregate report: no cookies, referrer, URL, identifiers or raw events", async () => {
  // Every request the browser sends goes through a recording proxy, with the
  // headers it really sent: those sent while a page unloads and a worker's too.
  const proxy = await startRecordingProxy();
  const context = await fixture.browser.newContext({ proxy: { server: proxy.server, bypass: "<-loopback>" } });
  await countReportsSent(context);
  const page = await context.newPage();

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
  const sent = proxy.requests;
  await proxy.close();
  assert.ok(sent.every((r) => [origin, new URL(fixture.elsewhere.url).origin].includes(new URL(r.url).origin)), "no third-party requests");
  const widgetRequests = sent.filter((r) => r.url.includes("/support-kpi/") || r.url.includes("/api/report"));
  const posts = widgetRequests.filter((r) => r.method === "POST");
  assert.equal(posts.length, 1, "one report for the session");
  assert.equal(fixture.site.requests.filter((r) => r.method === "POST").length, 1, "and it arrived once");
  for (const request of posts) {
    assert.equal(new URL(request.url, origin).search, "", "no query string on the endpoint");
    assert.equal(request.headers.cookie, undefined, "no cookie");
    assert.equal(request.headers.referer, undefined, "no referrer");
    const text = request.body;
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `the body does not contain ${secret}`);
    assert.ok(!text.includes("/help") && !text.includes("/shop"), "no page paths");
    assertAggregateReport(JSON.parse(text));
  }
  // Nothing else left for the widget: only its own files and the report.
  const kinds = widgetRequests.map((r) => `${r.method} ${new URL(r.url).pathname.replace(/-[A-Z2-7]{8}\./, "-HASH.")}`);
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

/**
 * The report of one visit to the help article in a context whose pages
 * carry `attributes`: a chat with a reply (durations), a rating, a tag, a
 * purchase of 10 (a goal); no warnings.
 */
async function reportOfChatVisit(attributes) {
  const context = await contextWithAttributes(attributes);
  const page = await context.newPage();
  const warnings = [];
  page.on("console", (m) => m.text().startsWith("[support-kpi]") && warnings.push(m.text()));
  const before = fixture.site.reports().length;
  await page.goto(`${fixture.site.url}/help/article.html`);
  await widgetStarted(page);
  await page.click("#chat-button");
  await page.evaluate(() => {
    supportKpi("chat", "customer_message");
    supportKpi("chat", "agent_message");
    supportKpi("chat", "ended", { resolved: true });
    supportKpi("chat", "rating", { kind: "csat", score: 5 });
    supportKpi("tag", "complaint");
    supportKpi("conversion", "purchase", 10);
  });
  await fixture.leave(page, before + 1);
  await context.close();
  assert.deepEqual(warnings, []);
  return fixture.site.reports()[before];
}

test("with data-dp-epsilon the report is noised on the device: noise marker, no durations, hours, goals or tags", async () => {
  // The same visit without noise carries each member a noised report leaves out.
  const exact = await reportOfChatVisit("");
  for (const member of ["firstResponse", "goals", "tags", "hours"]) assert.ok(member in exact, `the exact report has ${member}`);
  const report = await reportOfChatVisit('data-dp-epsilon="1"');
  assertAggregateReport(report);
  assert.deepEqual(report.noise, { reports: 1, variance: 14792 });
  for (const member of NOT_NOISED) assert.ok(!(member in report), `the noised report has no ${member}`);
});

test("an invalid data-dp-epsilon stops the widget rather than send exact counts", async () => {
  const context = await contextWithAttributes('data-dp-epsilon="lots"');
  await countReportsSent(context);
  const before = fixture.site.reports().length;
  const page = await context.newPage();
  const messages = [];
  page.on("console", (m) => messages.push(m.text()));
  await page.goto(`${fixture.site.url}/help/article.html`);
  await until(() => messages.some((m) => m.includes('data-dp-epsilon="lots" is not a number from 0.1 to 10')), "the warning");
  await page.evaluate(() => supportKpi("flush"));
  assert.equal(await page.evaluate(() => window.supportKpi.started), undefined, "the widget did not start");
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  assert.equal(await fixture.sentBy(context), 0, "nothing is sent");
  assert.equal(fixture.site.reports().length, before, "nothing arrived");
  await context.close();
});
