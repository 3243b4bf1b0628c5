// One page view of the help article with one tool, measured in headless
// Chromium, and a 5-page session with it. Every wait is for an event: the
// tool has started, the page had two full idle periods in a row, and every
// request reached the server and was answered.
import { until } from "../../tests/e2e/lib/page.mjs";
import { kind } from "./site.mjs";

export const ARTICLE = "/help/article.html";
/** The session: the help center, then four clicks on the pages' links (article, shop, help center, article). */
const CLICKS = ["#to-article", "#to-shop", "#to-help", "#to-article"];

/**
 * Installed before any page script, with `started` the tool's condition:
 * counts long tasks, notes the time of the page's first idle period after
 * `load`, and once the tool has started and two idle periods in a row had
 * their full 50 ms free (nothing was queued to run), logs "bench:quiet". It
 * all runs in the page so that nothing of the harness (Playwright's
 * evaluations inject a large script) runs there before the metrics are read.
 */
function observe(started) {
  window.benchLongTasks = 0;
  new PerformanceObserver((list) => (window.benchLongTasks += list.getEntries().length)).observe({ type: "longtask", buffered: true });
  addEventListener("load", () => {
    requestIdleCallback(() => (window.benchFirstIdle = performance.timeOrigin + performance.now()));
    let free = 0;
    const tick = (deadline) => {
      free = started() && deadline.timeRemaining() >= 45 ? free + 1 : 0;
      if (free >= 2) console.debug("bench:quiet");
      else requestIdleCallback(tick);
    };
    requestIdleCallback(tick);
  });
}

/** The trace categories the phase lists and the long-task list read. */
export const TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8", "v8.wasm", "blink", "loading"];

/** The complete (`ph: "X"`) events of the article's renderer main thread in a Chromium trace's `events`. */
export function articleMainThread(events) {
  const commit = events.find((e) => e.name === "CommitLoad" && e.args?.data?.url?.includes(ARTICLE));
  if (!commit) throw new Error("the trace has no commit of the article");
  return events.filter((e) => e.pid === commit.pid && e.tid === commit.tid && e.ph === "X");
}

/** The init script of `tool`'s pages: `observe` with its start condition. */
export const initScript = (tool) => `(${observe})(() => (${tool.started}));`;

/** Navigates `page` (its init script `initScript`) to `url` or runs `navigate`, and waits until it is quiet and the server answered everything. */
export async function settled(page, site, navigate) {
  const quiet = page.waitForEvent("console", { predicate: (message) => message.text() === "bench:quiet", timeout: 120_000 });
  await navigate();
  await quiet;
  await until(() => site.inFlight() === 0, "the server's answers");
}

/**
 * Init script for a session: counts in localStorage the requests to `paths`
 * (exact, or prefixes ending in "/") that the page hands to the browser by
 * fetch, sendBeacon or XMLHttpRequest, synchronously, so that what a page
 * sends while it unloads counts too.
 */
function countHits(paths) {
  const isHit = (url) => {
    try {
      const path = new URL(String(url?.url ?? url), location.href).pathname;
      return paths.some((p) => (p.endsWith("/") ? path.startsWith(p) : path === p));
    } catch {
      return false;
    }
  };
  const count = () => localStorage.setItem("bench:hits", String(Number(localStorage.getItem("bench:hits")) + 1));
  const { fetch } = window;
  window.fetch = function (url) {
    if (isHit(url)) count();
    return fetch.apply(this, arguments);
  };
  const beacon = navigator.sendBeacon.bind(navigator);
  navigator.sendBeacon = (url, body) => (isHit(url) && count(), beacon(url, body));
  const { open, send } = XMLHttpRequest.prototype;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.benchHit = isHit(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.benchHit) count();
    return send.apply(this, arguments);
  };
}

/** Makes the pages of `context` count the requests to `paths` they send (see `countHits`). */
export const countHitsSent = (context, paths) => context.addInitScript(countHits, paths);

/**
 * Leaves `page` (its context counting with `countHitsSent`) for a page of
 * `siteUrl` without any tool and waits until `arrived()` reaches the number
 * of hits the context's pages sent.
 */
export async function leaveAndCount(page, siteUrl, arrived) {
  await page.goto(`${siteUrl}/blank.html`);
  const sent = await page.evaluate(() => Number(localStorage.getItem("bench:hits")));
  await until(() => arrived() >= sent, `${sent} hit(s) sent`);
  return sent;
}

/** The tool's downloads among `requests`: files, body bytes (brotli), and those requested before `idleAt`. */
function downloads(requests, idleAt) {
  const files = requests.filter((r) => kind(r) === "file");
  const before = files.filter((r) => r.at <= idleAt);
  return { files: files.length, bytes: files.reduce((s, r) => s + r.bytes, 0), beforeIdleBytes: before.reduce((s, r) => s + r.bytes, 0) };
}

/** Measures one view of `url` on a new page of `context`, at CPU slowdown `throttle` (see `views`). */
async function view(context, site, url, throttle) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  if (throttle > 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: throttle });
  const from = site.requests.length;
  await settled(page, site, () => page.goto(url));
  const { metrics } = await cdp.send("Performance.getMetrics");
  const cpuMs = metrics.find((m) => m.name === "TaskDuration").value * 1000;
  const { longTasks, idleAt } = await page.evaluate(() => ({ longTasks: window.benchLongTasks, idleAt: window.benchFirstIdle }));
  return { page, figures: { cpuMs, longTasks, ...downloads(site.requests.slice(from), idleAt) } };
}

/**
 * A first view of the article with `tool` on `site` in a fresh context
 * (cache empty), then a later one: a second page of the same context after
 * the first was left (cache warm, the tool's state stored); `throttle` is
 * the CPU slowdown rate. Returns `{ first, later }`.
 *
 * The CPU figure is CDP `Performance.getMetrics` `TaskDuration` with
 * `Performance.enable({ timeDomain: "threadTicks" })`: the renderer main
 * thread's tasks summed in thread CPU time, from the navigation until the
 * page is quiet. It counts what the main thread computed (parsing,
 * compiling, evaluating, style, layout; not waits) and, unlike wall-clock
 * task time, not the time the thread was descheduled on this shared 2-core
 * machine: the page alone measured 160–330 ms of wall-clock task time
 * against 20–50 ms of thread CPU here. Tracing's `ThreadTime` gives the
 * same figure per event at the cost of a trace per view.
 * `setCPUThrottlingRate` keeps the thread busy for the extra time, so at 4×
 * the thread CPU grows about fourfold too (and long tasks appear), as on a
 * slow device.
 */
export async function views(browser, site, tool, throttle = 1) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(initScript(tool));
    const url = site.url + ARTICLE;
    const first = await view(context, site, url, throttle);
    await first.page.goto("about:blank"); // the tools store their state when the page hides
    await first.page.close();
    const later = await view(context, site, url, throttle);
    return { first: first.figures, later: later.figures };
  } finally {
    await context.close();
  }
}

/** Requests of a 5-page session with `tool` (files and hits, the pages themselves not counted), leaving at the end. */
export async function session(browser, site, tool) {
  const context = await browser.newContext();
  try {
    await context.addInitScript(initScript(tool));
    await countHitsSent(context, Object.keys(tool.stubs));
    const page = await context.newPage();
    const from = site.requests.length;
    await settled(page, site, () => page.goto(`${site.url}/help/`));
    for (const link of CLICKS) await settled(page, site, () => page.click(link));
    await leaveAndCount(page, site.url, () => site.requests.slice(from).filter((r) => r.hit).length);
    const requests = site.requests.slice(from).filter((r) => kind(r) !== "page");
    return { requests: requests.length, hits: requests.filter((r) => r.hit).length };
  } finally {
    await context.close();
  }
}
