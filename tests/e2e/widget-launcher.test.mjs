// Viewable chat launcher impressions (MRC: >= 50 % of the launcher's pixels in
// the viewport, tab visible, 1 continuous second; once per page view) and
// launcher clicks. The page's clock stands still: the test moves it, so the
// one-second rule is checked to the millisecond on any machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { intersection, pauseClock, setVisibility } from "./lib/page.mjs";
import { liveKpis, useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();

/** A help page whose launcher starts below the fold; its clock paused once the widget started. */
async function helpPage(path = "/help/") {
  const context = await fixture.browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(`${fixture.site.url}${path}`);
  await widgetStarted(page);
  await pauseClock(page);
  return page;
}

const impressions = async (page) => (await liveKpis(page)).engagement.chatEngagementRatio.den;
/** Scrolls the launcher into view and waits until the widget has seen it there. */
const scrollToLauncher = async (page) => {
  await page.locator("#chat-button").scrollIntoViewIfNeeded();
  assert.equal(await intersection(page, "#chat-button"), 1);
};
const scrollToTop = async (page) => {
  await page.evaluate(() => window.scrollTo(0, 0));
  assert.equal(await intersection(page, "#chat-button"), 0);
};

test("a launcher that stays off-screen makes no impression", async () => {
  const page = await helpPage();
  assert.equal(await intersection(page, "#chat-button"), 0);
  await page.clock.runFor(5000);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher visible for less than a second makes no impression", async () => {
  const page = await helpPage();
  await scrollToLauncher(page);
  await page.clock.runFor(999);
  await scrollToTop(page);
  await page.clock.runFor(5000);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher visible for a second makes one impression per page view", async () => {
  const page = await helpPage();
  await scrollToLauncher(page);
  await page.clock.runFor(999);
  assert.equal(await impressions(page), 0, "not before the second is full");
  await page.clock.runFor(1);
  assert.equal(await impressions(page), 1);
  await scrollToTop(page);
  await scrollToLauncher(page);
  await page.clock.runFor(5000);
  assert.equal(await impressions(page), 1, "at most once per page view");
  await page.evaluate(() => history.pushState({}, "", "/help/other"));
  assert.equal(await intersection(page, "#chat-button"), 1);
  await page.clock.runFor(1000);
  assert.equal(await impressions(page), 2, "a new (SPA) page view may count again");
  await page.context().close();
});

test("a launcher less than half in view makes no impression", async () => {
  const page = await helpPage();
  // Scroll so that only the top 40 % of the button is inside the viewport.
  await page.evaluate(() => {
    const box = document.querySelector("#chat-button").getBoundingClientRect();
    window.scrollBy(0, box.top - window.innerHeight + box.height * 0.4);
  });
  const ratio = await intersection(page, "#chat-button");
  assert.ok(ratio > 0.3 && ratio < 0.5, `${ratio} in view`);
  await page.clock.runFor(5000);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher in view while the tab is hidden makes no impression until it is visible for a second", async () => {
  const page = await helpPage();
  await setVisibility(page, "hidden");
  await scrollToLauncher(page);
  await page.clock.runFor(5000);
  assert.equal(await impressions(page), 0);
  await setVisibility(page, "visible");
  await page.clock.runFor(500);
  await setVisibility(page, "hidden");
  await setVisibility(page, "visible");
  await page.clock.runFor(999);
  assert.equal(await impressions(page), 0, "the second must be continuous");
  await page.clock.runFor(1);
  assert.equal(await impressions(page), 1);
  await page.context().close();
});

test("a launcher seen while a slow adapter chunk loads counts once, for the page view it belongs to", async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 800, height: 600 } });
  let release;
  const held = new Promise((resolve) => (release = resolve));
  let requested;
  const chunkRequested = new Promise((resolve) => (requested = resolve));
  await context.route("**/support-kpi/widget-adapter-livechat-*", async (route) => {
    requested();
    await held; // a slow connection: the chunk arrives when the test says so
    await route.continue();
  });
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(`${fixture.site.url}/help/vendor.html`);
  await chunkRequested;
  assert.equal(await intersection(page, "#chat-button"), 1, "the launcher is in view");
  await pauseClock(page);
  await page.clock.runFor(1500);
  release();
  await widgetStarted(page);
  assert.equal(await intersection(page, "#chat-button"), 1);
  await page.clock.runFor(5000);
  const kpis = await liveKpis(page);
  assert.equal(kpis.engagement.supportPageShare.den, 1, "one page view");
  assert.equal(kpis.engagement.chatEngagementRatio.den, 1, "one impression");
  await context.close();
});

test("launcher clicks are counted", async () => {
  const page = await helpPage();
  await page.click("#chat-button");
  await page.click("#chat-button");
  const kpis = await liveKpis(page);
  assert.equal(kpis.engagement.launcherClickThrough.num, 2);
  await page.context().close();
});
