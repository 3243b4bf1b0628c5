// The network of a 5-page session with one chat in headless Chromium on the
// test fixture site, against a per-event hit tracker that sends one request
// per page view or event, like Plausible's {n,u,d,r} hits. (The widget's
// main-thread time and downloads are measured against real trackers in
// bench/peers/.)
import { countHitsSent, leaveAndCount } from "./peers/measure.mjs";
import { startSite, widgetStarted } from "../tests/e2e/lib/site.mjs";

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
  await countHitsSent(context, ["/api/report"]);
  const page = await context.newPage();
  const visit = async (path) => {
    await page.goto(site.url + path);
    await widgetStarted(page);
  };
  await visit("/help/");
  await page.locator("#chat-button").scrollIntoViewIfNeeded();
  // The launcher counts as seen once it was in view long enough (MRC): wait for that event.
  await page.waitForFunction(() => JSON.parse(sessionStorage.getItem("seen") || "[]").some(([event]) => event.type === "chat_button_impression"), null, { timeout: 60_000 });
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
  // Leave, then wait until every report the pages handed to the browser (during unload too) has arrived.
  await leaveAndCount(page, site.url, () => site.reports().length);
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
