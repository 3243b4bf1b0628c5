// Page-level benchmarks in headless Chromium on the test fixture site:
// the widget's main-thread time per page view (against the same page without
// it) and its long tasks, and the network of a 5-page session with one chat
// (against a per-event hit tracker that sends one request per page view or
// event, like Plausible's {n,u,d,r} hits).
import { until } from "../tests/e2e/lib/page.mjs";
import { startSite, widgetStarted } from "../tests/e2e/lib/site.mjs";

const RUNS = 7;
const SETTLE_MS = 2500;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Main-thread task time (ms) of loading `url` and letting the page settle;
 * with or without the widget. `later`: the device has seen a page of the
 * site before (the widget's state and time-zone table are stored), as for
 * every page view of a visit but the first.
 */
async function taskTime(browser, url, withWidget, later) {
  const context = await browser.newContext();
  if (!withWidget) await context.route("**/support-kpi/**", (route) => route.abort());
  if (later) {
    const first = await context.newPage();
    await first.goto(url);
    if (withWidget) await widgetStarted(first);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await first.goto("about:blank"); // the widget stores its state when the page hides
  }
  await context.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: true });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  // Nothing of the test harness may run in the page while it is measured:
  // a fixed settle time, then the metrics, then the checks.
  await page.goto(url);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const { metrics } = await cdp.send("Performance.getMetrics");
  const taskMs = metrics.find((m) => m.name === "TaskDuration").value * 1000;
  if (withWidget) await widgetStarted(page);
  const longTasks = await page.evaluate(() => window.longTasks.filter((d) => d > 50).length);
  await context.close();
  return { taskMs, longTasks };
}

/** The widget's main-thread time per page view: median difference over runs; `later` as for `taskTime`. */
export async function mainThread(browser, later) {
  const site = await startSite();
  const url = `${site.url}/help/article.html`;
  const withWidget = [];
  const without = [];
  let longTasks = 0;
  for (let run = 0; run < RUNS; run++) {
    const measured = await taskTime(browser, url, true, later);
    withWidget.push(measured.taskMs);
    longTasks += measured.longTasks;
    without.push((await taskTime(browser, url, false, later)).taskMs);
  }
  await site.close();
  return { withWidgetMs: median(withWidget), withoutMs: median(without), widgetMs: median(withWidget) - median(without), longTasks };
}

/** A per-event hit, as a Plausible-style tracker would send it. */
function hit(event, url) {
  return JSON.stringify({ n: event.type === "page_view" ? "pageview" : event.type, u: url, d: "acme-help", r: null });
}

/** Requests and bytes of a 5-page session with one chat: the widget, and per-event hits. */
export async function session(browser) {
  const site = await startSite();
  const context = await browser.newContext();
  await context.addInitScript(() => {
    window.supportKpi = window.supportKpi || function () { (window.supportKpi.q = window.supportKpi.q || []).push(arguments); };
    window.supportKpi("onEvent", (event) => {
      const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
      seen.push([event, location.href]);
      sessionStorage.setItem("seen", JSON.stringify(seen));
    });
  });
  const page = await context.newPage();
  const visit = async (path) => {
    await page.goto(site.url + path);
    await widgetStarted(page);
  };
  await visit("/help/");
  await page.locator("#chat-button").scrollIntoViewIfNeeded();
  await page.waitForTimeout(1200);
  await page.click("#chat-button");
  await page.evaluate(() => {
    supportKpi("chat", "open");
    supportKpi("chat", "customer_message");
    supportKpi("chat", "agent_message");
    supportKpi("chat", "customer_message");
    supportKpi("chat", "agent_message");
    supportKpi("chat", "ended", { resolved: true });
    supportKpi("chat", "rating", { kind: "csat", score: 5 });
  });
  await page.click("#to-article");
  await widgetStarted(page);
  await page.click("#to-shop");
  await widgetStarted(page);
  await page.click("#buy");
  await page.click("#to-help");
  await widgetStarted(page);
  await page.click("#to-article");
  await widgetStarted(page);
  const seen = await page.evaluate(() => JSON.parse(sessionStorage.getItem("seen")));
  await page.goto("about:blank");
  await until(() => site.reports().length > 0, "the report");
  await page.waitForTimeout(300);
  const posts = site.requests.filter((r) => r.method === "POST");
  const tracked = seen.filter(([event]) => event.type !== "availability");
  const hits = tracked.map(([event, url]) => hit(event, url));
  await context.close();
  await site.close();
  return {
    pageViews: tracked.filter(([event]) => event.type === "page_view").length,
    requests: posts.length,
    bytes: posts.reduce((sum, r) => sum + Buffer.byteLength(r.body), 0),
    baselineRequests: hits.length,
    baselineBytes: hits.reduce((sum, body) => sum + Buffer.byteLength(body), 0),
  };
}
