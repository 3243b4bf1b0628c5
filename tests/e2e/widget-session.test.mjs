// The widget across pages, tabs and SPA navigation: sessions span pages, one
// report per session, nothing counted twice, calls made before loading kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import { afterIdle, setVisibility } from "./lib/page.mjs";
import { countReportsSent, liveKpis, tracked, useSite, widgetStarted, withAttributes } from "./lib/site.mjs";

const fixture = useSite();

/** A fresh visitor: its own context (storage) and a page on the fixture.site; `setup` runs before each page's scripts. */
async function visitor(setup) {
  const context = await fixture.browser.newContext();
  await countReportsSent(context);
  if (setup) await context.addInitScript(setup);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  return { context, page, errors };
}

async function open(page, path) {
  await page.goto(fixture.site.url + path);
  await widgetStarted(page);
}

/**
 * Leaves the site with `page` and waits for the session's report before
 * closing `context`: a report sent while a closing page unloads could land
 * in a later test's count.
 */
async function leaveAndClose(context, page) {
  const before = fixture.site.reports().length;
  await fixture.leave(page, before + 1);
  await fixture.arrived(context, before);
  await context.close();
}


/**
 * How a same-site navigation is told from leaving: the Navigation API
 * (Chromium), or, in a browser without it, link clicks and form submits.
 */
const NAVIGATION_VARIANTS = [
  ["", undefined],
  [" (no Navigation API: link clicks and submits tell)", () => Object.defineProperty(window, "navigation", { value: undefined, configurable: true })],
];

for (const [variant, setup] of NAVIGATION_VARIANTS) {
  test(`a multi-page session with a chat and a later purchase sends one report when the visitor leaves${variant}`, async () => {
    const before = fixture.site.reports().length;
    const { context, page, errors } = await visitor(setup);
    await open(page, "/help/");
    await page.locator("#chat-button").scrollIntoViewIfNeeded();
    await tracked(page, "chat_button_impression");
    await page.click("#chat-button");
    await page.evaluate(() => {
      supportKpi("chat", "open");
      supportKpi("chat", "customer_message");
    });
    await page.evaluate(() => {
      supportKpi("chat", "agent_message");
      supportKpi("chat", "ended", { resolved: true });
    });
    await page.click("#to-article");
    await widgetStarted(page);
    await page.click("#to-shop");
    await widgetStarted(page);
    await page.click("#buy");
    await page.click("#to-help");
    await widgetStarted(page);
    assert.equal(fixture.site.reports().length, before, "nothing is sent while the session goes on");
    await fixture.leave(page, before + 1);
    const reports = await fixture.arrived(context, before);
    assert.equal(reports.length, 1, "one report for the whole session");
    const [report] = reports;
    const [pageViews, supportViews, sessions, , supportContacts, impressions, clicks, opens, chats] = report.engagement;
    assert.deepEqual([pageViews, supportViews, sessions, supportContacts, impressions, clicks, opens, chats], [4, 3, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(report.goals.purchase, [1, 49990, 1, 49990], "the purchase on a later page counts after the chat");
    assert.equal(report.firstResponse.buckets.length, 1);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("page views that need no engine leave it unstarted; a call of the page starts it, and the report counts every view", async () => {
  const before = fixture.site.reports().length;
  const { context, page, errors } = await visitor();
  await context.addInitScript(() => {
    // Counts the engine's instantiations (wasm-bindgen's initSync makes one per page that starts it).
    const { Instance } = WebAssembly;
    window.engineStarts = 0;
    function Counted(module, imports) {
      window.engineStarts++;
      return new Instance(module, imports);
    }
    Counted.prototype = Instance.prototype;
    WebAssembly.Instance = Counted;
  });
  const engineStarts = () => page.evaluate(() => window.engineStarts);
  await open(page, "/help/");
  assert.equal(await engineStarts(), 0, "the landing page");
  await page.click("#to-article");
  await widgetStarted(page);
  assert.equal(await engineStarts(), 0, "a page continuing the session");
  await page.click("#to-shop");
  await widgetStarted(page);
  assert.equal(await engineStarts(), 0, "a third page");
  await page.evaluate(() => supportKpi("conversion", "purchase", 10));
  assert.equal(await engineStarts(), 1, "a call of the page starts the engine, once");
  await fixture.leave(page, before + 1);
  const [report, ...more] = await fixture.arrived(context, before);
  assert.equal(more.length, 0, "one report for the session");
  const [pageViews, supportViews, sessions] = report.engagement;
  assert.deepEqual([pageViews, supportViews, sessions], [3, 2, 1], "the views the earlier pages kept are counted");
  assert.deepEqual(report.goals.purchase, [1, 10000], "the conversion (no chat before it)");
  assert.deepEqual(errors, []);
  await context.close();
});

test("calls made before the widget loaded are kept", async () => {
  const { context, page, errors } = await visitor();
  await open(page, "/help/queued.html");
  // The callback runs at once (when the queue is replayed) and again after changes.
  await page.waitForFunction(() => window.latestKpis?.engagement.supportPageShare.den === 1);
  const kpis = await page.evaluate(() => window.latestKpis);
  assert.equal(kpis.contribution.conversions.byGoal.signup.count, 1);
  assert.equal(kpis.engagement.supportPageShare.den, 1, "the page view recorded before loading");
  assert.deepEqual(errors, []);
  await leaveAndClose(context, page);
});

test("availability a chat vendor reports while the page loads describes that page view, and holds on later pages", async () => {
  const { context, page } = await visitor();
  await open(page, "/help/offline.html"); // no opening hours: the schedule alone would say online
  await page.click("#to-article");
  await widgetStarted(page);
  const kpis = await liveKpis(page);
  assert.deepEqual(kpis.availability.presence, { num: 0, den: 2, value: 0 });
  await leaveAndClose(context, page);
});

test("SPA navigation counts page views when the path changes", async () => {
  const { context, page } = await visitor();
  await open(page, "/help/");
  await page.evaluate(() => {
    history.pushState({}, "", "/help/topic");
    history.replaceState({}, "", "/help/topic?tab=2#answers"); // same path: no new page view
    history.pushState({}, "", "/shop/cart");
  });
  // The loader's popstate listener came first, so it has run when the test's does.
  await page.evaluate(() => new Promise((resolve) => {
    addEventListener("popstate", resolve, { once: true });
    history.back();
  }));
  const kpis = await liveKpis(page);
  assert.deepEqual(kpis.engagement.supportPageShare, { num: 3, den: 4, value: 0.75 });
  await leaveAndClose(context, page);
});

test("two tabs never count the same page view twice", async () => {
  const before = fixture.site.reports().length;
  const { context, page: first } = await visitor();
  await open(first, "/help/");
  await setVisibility(first, "hidden"); // stores its state for a following page
  const second = await context.newPage();
  await open(second, "/help/article.html"); // claims the first tab's state
  await setVisibility(first, "visible"); // its counts moved to the second tab
  await first.goto(`${fixture.elsewhere.url}/blank.html`);
  await fixture.leave(second, before + 1);
  const reports = await fixture.arrived(context, before);
  const pageViews = reports.reduce((sum, r) => sum + (r.engagement?.[0] ?? 0), 0);
  assert.equal(pageViews, 2, `two page views in ${reports.length} report(s)`);
  await context.close();
});

test("a tab closed after another tab claimed its state stores nothing again: no page view is reported twice", async () => {
  const before = fixture.site.reports().length;
  const { context, page: first } = await visitor();
  await open(first, "/help/");
  await setVisibility(first, "hidden"); // stores its state
  const second = await context.newPage();
  await open(second, "/help/article.html"); // claims it
  await first.close({ runBeforeUnload: true }); // its pagehide, still hidden: the state is the second tab's
  await open(second, "/help/"); // would report a second copy of the first tab's counts, were it stored again
  await fixture.leave(second, before + 1);
  const reports = await fixture.arrived(context, before);
  const pageViews = reports.reduce((sum, r) => sum + (r.engagement?.[0] ?? 0), 0);
  assert.equal(pageViews, 3, `three page views in ${reports.length} report(s)`);
  await context.close();
});

for (const [mode, attributes] of [["", ""], [' (data-consent="required", consent queued before the widget loaded)', 'data-consent="required"']]) {
  test(`opting out stops measuring, clears stored data, and keeps the widget off on later pages${mode}`, async () => {
    const before = fixture.site.reports().length;
    const { context, page } = await visitor();
    if (attributes) {
      await withAttributes(context, fixture.site, attributes);
      await context.addInitScript(() => {
        window.supportKpi = function () {
          (window.supportKpi.q = window.supportKpi.q || []).push(arguments);
        };
        window.supportKpi("consent", true);
      });
    }
    await open(page, "/help/");
    // A key an earlier version of the widget stored (its time-zone table).
    await page.evaluate(() => localStorage.setItem("supportKpi:acme-help:zone", "{}"));
    await page.evaluate(() => supportKpi("optOut"));
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("supportKpi:")));
    assert.deepEqual(stored, ["supportKpi:acme-help:optout"]);
    await page.goto(`${fixture.site.url}/help/article.html`);
    await afterIdle(page); // the loader's idle start has run
    const loaded = await page.evaluate(() => ({
      started: Boolean(window.supportKpi?.started),
      preloading: document.querySelectorAll("link[rel=modulepreload]").length,
      fetched: performance.getEntriesByType("resource").filter((e) => new URL(e.name).pathname.startsWith("/support-kpi/widget-")).length,
    }));
    assert.deepEqual(loaded, { started: false, preloading: 0, fetched: 0 }, "no file of the widget but the loader is fetched");
    await page.goto(`${fixture.elsewhere.url}/blank.html`);
    assert.equal(await fixture.sentBy(context), 0, "nothing was sent");
    assert.equal(fixture.site.reports().length, before);
    await context.close();
  });
}

for (const [variant, setup] of NAVIGATION_VARIANTS) {
  test(`a visitor who sends a chat message and leaves at once sends the report: a cancelled submit is no navigation${variant}`, async () => {
    const before = fixture.site.reports().length;
    const { context, page } = await visitor(setup);
    await open(page, "/help/compose.html");
    await page.fill("#compose input", "Where is my order?");
    await page.click("#compose button");
    await page.waitForFunction(() => document.querySelector("#compose input").value === ""); // the page handled it
    await fixture.leave(page, before + 1);
    const [report] = await fixture.arrived(context, before);
    assert.equal(report.engagement[8], 1, "the chat started by the message");
    await context.close();
  });
}
