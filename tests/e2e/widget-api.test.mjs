// supportKpi(...) never throws into the page, whatever it is given: Symbols,
// proxies whose traps throw, objects without a prototype, getters that throw
// (a Symbol, even), callbacks that throw or reject. A bad call queued before
// the widget started is dropped with a warning and the others still run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { liveKpis, useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();

/** Calls every hostile argument the tests know on `supportKpi`; returns how many calls threw. */
function hostileCalls() {
  const trap = () => {
    throw Symbol("trap");
  };
  const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const calls = [
    [Symbol("command")],
    [Object.create(null)],
    [proxy],
    [revoked.proxy],
    ["track", Symbol("event")],
    ["track", Object.create(null)],
    ["track", proxy],
    ["track", { type: "page_view", get support() { throw Symbol("getter"); } }],
    ["track", { get type() { throw new Error("getter"); } }],
    ["conversion", Symbol("goal"), proxy],
    ["tag", proxy],
    ["chat", Symbol("action")],
    ["chat", "ended", proxy],
    ["chat", "rating", { get kind() { throw Symbol("kind"); } }],
    ["onEvent", () => { throw Symbol("listener"); }],
    ["onEvent", async () => { throw Symbol("async listener"); }],
    ["onKpis", () => { throw Symbol("callback"); }],
    ["onKpis", async () => { throw Symbol("async callback"); }],
    ["consent", proxy],
    ["flush", proxy],
  ];
  let threw = 0;
  for (const args of calls) {
    try {
      window.supportKpi(...args);
    } catch {
      threw += 1;
    }
  }
  return threw;
}

/** A page of the help center that queues `hostileCalls` (and unreadable entries) before the widget loads. */
async function pageWithQueuedCalls() {
  const context = await fixture.browser.newContext();
  await context.addInitScript(`(${() => {
    window.supportKpi = function () {
      (window.supportKpi.q = window.supportKpi.q || []).push(arguments);
    };
    window.supportKpi("onKpis", (kpis) => (window.latestKpis = kpis));
  }})(); window.queuedThrew = (${hostileCalls})();
  window.supportKpi.q.push(null, new Proxy([], { get() { throw Symbol("entry"); } }));
  window.supportKpi("conversion", "signup");`);
  const page = await context.newPage();
  const messages = [];
  const errors = [];
  page.on("console", (m) => m.text().startsWith("[support-kpi]") && messages.push(m.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  return { context, page, messages, errors };
}

test("hostile arguments, queued or not, never throw into the page; the good calls still run", async () => {
  const { context, page, messages, errors } = await pageWithQueuedCalls();
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  assert.equal(await page.evaluate(() => window.queuedThrew), 0, "the queue stub never throws");
  await page.waitForFunction(() => window.latestKpis?.contribution.conversions.byGoal.signup?.count === 1);
  assert.ok(!messages.some((m) => m.includes("not measuring")), messages.join("\n"));
  assert.ok(messages.includes("[support-kpi] a queued supportKpi call could not be read; it is dropped"), messages.join("\n"));
  assert.ok(messages.includes("[support-kpi] unknown command supportKpi(a symbol)"), messages.join("\n"));

  assert.equal(await page.evaluate(hostileCalls), 0, "the started widget never throws");
  // Callbacks that throw run again on the next change: the widget goes on.
  await page.evaluate(() => supportKpi("conversion", "purchase", 5));
  await page.waitForFunction(() => window.latestKpis.contribution.conversions.byGoal.purchase?.count === 1);
  const kpis = await liveKpis(page);
  assert.equal(kpis.contribution.conversions.byGoal.signup.count, 1);
  assert.deepEqual(errors, [], "no exception and no unhandled rejection reached the page");
  await context.close();
});
