// The widget never harms the host page and loses nothing it can keep:
// offline, collector down, strict CSP, blocked or full storage, no Wasm,
// bad attributes, bad SDK calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { afterIdle, until } from "./lib/page.mjs";
import { countReportsSent, startSite, useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();

/** A page with console messages and page errors recorded. */
async function watchedPage(context) {
  const page = await context.newPage();
  const messages = [];
  const errors = [];
  page.on("console", (message) => messages.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, messages, errors };
}

const widgetMessages = (messages) => messages.filter((m) => m.startsWith("[support-kpi]"));
const reportIds = (reports) => reports.map((r) => r.id);

test("offline at the end of a visit: the report is kept and arrives once back online", async () => {
  const before = fixture.site.reports().length;
  const context = await fixture.browser.newContext();
  await countReportsSent(context);
  const { page: later } = await watchedPage(context); // keeps the context open
  const { page, errors } = await watchedPage(context);
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await context.setOffline(true);
  const closed = new Promise((resolve) => page.once("close", resolve));
  await page.close({ runBeforeUnload: true }); // the tab is closed while offline
  await closed; // its pagehide has run before network emulation changes
  await context.setOffline(false);
  await later.goto(`${fixture.site.url}/help/article.html`);
  await widgetStarted(later);
  await until(() => fixture.site.reports().length > before, "the kept report");
  const arrived = await fixture.arrived(context, before);
  assert.equal(arrived.length, 1, "exactly one request");
  assert.equal(arrived[0].engagement[0], 1, "the first page view");
  assert.deepEqual(errors, []);
  await context.close();
});

test("collector down: the report is retried with backoff and arrives once", async () => {
  const before = fixture.site.reports().length;
  const attemptsBefore = fixture.site.requests.filter((r) => r.method === "POST").length;
  const answersBefore = fixture.site.answers().length;
  const context = await fixture.browser.newContext();
  await countReportsSent(context);
  await context.clock.install();
  const { page, errors } = await watchedPage(context);
  fixture.site.endpoint.status = 503;
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await page.evaluate(() => supportKpi("flush"));
  await until(() => fixture.site.requests.filter((r) => r.method === "POST").length > attemptsBefore, "the first attempt");
  // The collector saw the attempt; the page must also have read its 503 before it leaves (on a busy machine it may not yet).
  const knowsDown = () => page.evaluate(() => Object.keys(localStorage).some((key) => key.endsWith(":down")));
  await until(knowsDown, "the widget to note that the collector is down");
  await page.click("#to-article");
  await widgetStarted(page);
  // While the collector is known to be down, a leaving page keeps its report instead of sending it.
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  fixture.site.endpoint.status = 202;
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await context.clock.fastForward(31_000);
  // The endpoint records every POST, the refused attempt too: wait for all three.
  const postsSince = () => fixture.site.requests.filter((r) => r.method === "POST").slice(attemptsBefore);
  await until(() => postsSince().length >= 3, "the refused attempt, then both reports after the retry", 8000);
  await fixture.arrived(context, before);
  const posts = postsSince();
  assert.equal(posts.length, 3, "one failed attempt, then each report once");
  const answers = fixture.site.answers().slice(answersBefore);
  // Nothing was sent while the collector was known to be down (the leaving page kept its report).
  assert.deepEqual(answers.map((a) => a.status), [503, 202, 202], "one refused attempt, then each report accepted once");
  const [refused, ...accepted] = reportIds(answers.map((a) => a.report));
  assert.equal(new Set(accepted).size, 2, "two different reports, each once");
  assert.ok(accepted.includes(refused), "the refused report is among those accepted on the retry");
  assert.deepEqual(errors, []);
  await context.close();
});

test("works under a strict CSP (script-src 'self' 'wasm-unsafe-eval')", async () => {
  const strict = await startSite({ csp: true });
  const context = await fixture.browser.newContext();
  const { page, errors } = await watchedPage(context);
  const violations = [];
  await page.exposeFunction("reportViolation", (v) => violations.push(v));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  const response = await page.goto(`${strict.url}/help/`);
  assert.equal(response.headers()["content-security-policy"], "script-src 'self' 'wasm-unsafe-eval'", "the page is served with the policy");
  await widgetStarted(page);
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  await until(() => strict.reports().length === 1, "the report");
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await context.close();
  await strict.close();
});

/**
 * Two page views of the site in `context`, then leaving it: with no usable
 * localStorage each page reports on its own (one page view each), after
 * the warning that says so, and nothing reaches the page as an error.
 */
async function assertEachPageReportsOnItsOwn(context) {
  const before = fixture.site.reports().length;
  const { page, messages, errors } = await watchedPage(context);
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await page.click("#to-article");
  await widgetStarted(page);
  await page.goto(`${fixture.elsewhere.url}/blank.html`);
  await until(() => fixture.site.reports().length >= before + 2, "two reports");
  const pageViews = fixture.site.reports().slice(before).map((r) => r.engagement[0]);
  assert.deepEqual(pageViews, [1, 1]);
  assert.ok(widgetMessages(messages).some((m) => m.includes("localStorage is unavailable")));
  assert.deepEqual(errors, []);
}

test("blocked localStorage: the widget keeps working and each page reports on its own", async () => {
  const context = await fixture.browser.newContext();
  await context.addInitScript(() =>
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      },
    }),
  );
  await assertEachPageReportsOnItsOwn(context);
  await context.close();
});

test("a full localStorage degrades the same way", async () => {
  const context = await fixture.browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException("quota", "QuotaExceededError");
    };
  });
  await assertEachPageReportsOnItsOwn(context);
  await context.close();
});

test("without WebAssembly the widget prints one message and does nothing else", async () => {
  const context = await fixture.browser.newContext();
  await context.addInitScript(() => delete window.WebAssembly);
  const { page, messages, errors } = await watchedPage(context);
  const requestsBefore = fixture.site.requests.length;
  await page.goto(`${fixture.site.url}/help/`);
  await until(() => widgetMessages(messages).length > 0, "the message");
  await afterIdle(page); // when the widget would have loaded the runtime
  assert.deepEqual(widgetMessages(messages), ["[support-kpi] not measuring: WebAssembly is unavailable"]);
  assert.deepEqual(errors, []);
  const fetched = fixture.site.requests.slice(requestsBefore).map((r) => r.path);
  assert.ok(!fetched.some((p) => p.includes("/widget-runtime-") || p.endsWith(".wasm")), fetched.join(" "));
  await page.evaluate(() => supportKpi("track", { type: "chat_open" })); // the page's own calls still work
  await context.close();
});

test("a CSP without 'wasm-unsafe-eval' stops the widget with one message and no page error", async () => {
  const blocked = await startSite();
  const context = await fixture.browser.newContext();
  await context.route("**/help/", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": "script-src 'self'" } });
  });
  const { page, messages, errors } = await watchedPage(context);
  await page.goto(`${blocked.url}/help/`);
  await until(() => widgetMessages(messages).length > 0, "the message");
  await afterIdle(page); // the failed start has nothing left to run; a second message would be in by now
  assert.equal(widgetMessages(messages).length, 1, widgetMessages(messages).join("\n"));
  assert.match(widgetMessages(messages)[0], /^\[support-kpi\] not measuring: /);
  assert.deepEqual(errors, []);
  await context.close();
  await blocked.close();
});

test("invalid attributes warn once each and fall back to their defaults", async () => {
  const context = await fixture.browser.newContext();
  const { page, messages, errors } = await watchedPage(context);
  await page.goto(`${fixture.site.url}/help/misconfigured.html`);
  await widgetStarted(page);
  const warnings = widgetMessages(messages).join("\n");
  for (const expected of [
    'data-time-zone="Mars/Olympus" is not an IANA time zone; using "UTC"',
    'data-session-timeout="soon" is not a whole number from 1 to 1440; using 30',
    'data-chat="carrier-pigeon" is not one of',
    'data-launcher="#chat[" is not a CSS selector',
    'data-opening-hours="weekdays 9-5" has an invalid group',
    'data-goals="Big Sale" is not a slug',
  ]) {
    assert.ok(warnings.includes(expected), `expected a warning containing: ${expected}\n${warnings}`);
  }
  const kpis = await page.evaluate(() => new Promise((resolve) => supportKpi("onKpis", resolve)));
  assert.equal(kpis.engagement.supportPageShare.den, 1, "still measuring");
  assert.deepEqual(errors, []);
  await context.close();
});

test("bad SDK calls are refused with a warning naming the field, never an exception", async () => {
  const context = await fixture.browser.newContext();
  const { page, messages, errors } = await watchedPage(context);
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await page.evaluate(() => {
    supportKpi("track", { type: "survey", kind: "csat", score: 9 });
    supportKpi("conversion", "refund");
    supportKpi("launch-rockets");
    supportKpi("onKpis", "not a function");
  });
  const warnings = widgetMessages(messages);
  for (const expected of [
    "[support-kpi] event refused: score: must be an integer from 1 to 5 for csat",
    '[support-kpi] event refused: goal: "refund" is not one of the configured goals',
    '[support-kpi] unknown command supportKpi("launch-rockets")',
    "[support-kpi] supportKpi('onKpis', callback) needs a function",
  ]) {
    assert.ok(warnings.includes(expected), `${expected}\n${warnings.join("\n")}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
