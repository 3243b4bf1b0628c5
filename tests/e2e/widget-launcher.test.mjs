// Viewable chat launcher impressions (MRC: >= 50 % of the launcher's pixels in
// the viewport, tab visible, 1 continuous second; once per page view) and
// launcher clicks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setVisibility } from "./lib/page.mjs";
import { liveKpis, useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();

/** A help page whose launcher starts below the fold. */
async function helpPage() {
  const context = await fixture.browser.newContext({ viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  return page;
}

const impressions = async (page) => (await liveKpis(page)).engagement.chatEngagementRatio.den;
const scrollToLauncher = (page) => page.locator("#chat-button").scrollIntoViewIfNeeded();
const scrollToTop = (page) => page.evaluate(() => window.scrollTo(0, 0));

test("a launcher that stays off-screen makes no impression", async () => {
  const page = await helpPage();
  await page.waitForTimeout(1500);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher visible for less than a second makes no impression", async () => {
  const page = await helpPage();
  await scrollToLauncher(page);
  await page.waitForTimeout(600);
  await scrollToTop(page);
  await page.waitForTimeout(1000);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher visible for a second makes one impression per page view", async () => {
  const page = await helpPage();
  await scrollToLauncher(page);
  await page.waitForTimeout(1300);
  assert.equal(await impressions(page), 1);
  await scrollToTop(page);
  await scrollToLauncher(page);
  await page.waitForTimeout(1300);
  assert.equal(await impressions(page), 1, "at most once per page view");
  await page.evaluate(() => history.pushState({}, "", "/help/other"));
  await page.waitForTimeout(1300);
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
  await page.waitForTimeout(1300);
  assert.equal(await impressions(page), 0);
  await page.context().close();
});

test("a launcher in view while the tab is hidden makes no impression until it is visible for a second", async () => {
  const page = await helpPage();
  await setVisibility(page, "hidden");
  await scrollToLauncher(page);
  await page.waitForTimeout(1300);
  assert.equal(await impressions(page), 0);
  await setVisibility(page, "visible");
  await page.waitForTimeout(500);
  await setVisibility(page, "hidden");
  await setVisibility(page, "visible");
  await page.waitForTimeout(600);
  assert.equal(await impressions(page), 0, "the second must be continuous");
  await page.waitForTimeout(600);
  assert.equal(await impressions(page), 1);
  await page.context().close();
});

test("launcher clicks are counted", async () => {
  const page = await helpPage();
  await page.click("#chat-button");
  await page.click("#chat-button");
  const kpis = await liveKpis(page);
  assert.equal(kpis.engagement.launcherClickThrough.num, 2);
  await page.context().close();
});
