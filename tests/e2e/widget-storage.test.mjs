// Storage modes: with data-storage="memory" the widget reads and writes
// nothing on the device and each page view reports when the page is hidden
// or left; with data-consent="required" it is in memory mode until
// supportKpi('consent', true), and withdrawing consent deletes what it
// stored. Every storage API of the page is instrumented to prove it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setVisibility, until } from "./lib/page.mjs";
import { instrumentStorage } from "./lib/storage.mjs";
import { useSite, widgetStarted, withAttributes } from "./lib/site.mjs";

const fixture = useSite();

/** A visitor whose help pages carry `attributes`, with storage instrumented and the page's errors recorded. */
async function visitor(attributes) {
  const context = await fixture.browser.newContext();
  await withAttributes(context, fixture.site, attributes);
  await context.addInitScript(instrumentStorage);
  // A page of the site that gives consent at load, as a consent manager would.
  await context.addInitScript(() => {
    if (location.hash !== "#consent") return;
    window.supportKpi = function () {
      (window.supportKpi.q = window.supportKpi.q || []).push(arguments);
    };
    window.supportKpi("consent", true);
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  return { context, page, errors };
}

const touched = (page) => page.evaluate(() => window.storageTouched);
const storedKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("supportKpi:")));

test('data-storage="memory" touches no storage and reports each page view when the page is hidden or left', async () => {
  const before = fixture.site.reports().length;
  const { context, page, errors } = await visitor('data-storage="memory"');
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await page.click("#chat-button");
  await page.evaluate(() => {
    supportKpi("chat", "customer_message");
    supportKpi("chat", "agent_message");
    supportKpi("chat", "ended", { resolved: true });
  });
  await setVisibility(page, "hidden");
  await until(() => fixture.site.reports().length === before + 1, "the report of the hidden page");
  await setVisibility(page, "visible");
  assert.deepEqual(await touched(page), [], "nothing touched on the first page");
  await page.click("#to-article"); // a same-site link: the next page still cannot take the counts over
  await widgetStarted(page);
  assert.deepEqual(await touched(page), [], "nothing touched on the second page");
  await fixture.leave(page, before + 2);
  const reports = fixture.site.reports().slice(before);
  assert.deepEqual(reports.map((r) => r.engagement[0]), [1, 1], "one report per page view");
  assert.equal(reports[0].engagement[8], 1, "the chat is in the first page's report");
  assert.deepEqual(errors, []);
  await context.close();
});

test('data-consent="required": nothing touched before consent, storage after it, and withdrawing deletes what was stored', async () => {
  const before = fixture.site.reports().length;
  const { context, page, errors } = await visitor('data-consent="required"');
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await page.evaluate(() => supportKpi("conversion", "signup"));
  await setVisibility(page, "hidden"); // memory mode: the page reports when hidden
  await until(() => fixture.site.reports().length === before + 1, "the report before consent");
  await setVisibility(page, "visible");
  assert.deepEqual(await touched(page), [], "nothing touched before consent");
  assert.deepEqual(fixture.site.reports()[before].goals.signup, [1]);

  await page.evaluate(() => {
    supportKpi("consent", true);
    supportKpi("conversion", "purchase", 10);
  });
  assert.ok((await touched(page)).includes("localStorage"), "storage used once consent is given");
  // A same-site navigation: with consent the counts travel to the next page.
  await page.evaluate(() => (location.href = "/help/article.html#consent"));
  await page.waitForURL("**/help/article.html#consent");
  await widgetStarted(page);
  assert.equal(fixture.site.reports().length, before + 1, "nothing sent on the way: the session goes on");

  // Hidden, the page stores its state: there is something to delete.
  await setVisibility(page, "hidden");
  assert.ok((await storedKeys(page)).some((key) => key.includes(":state:")), "the hidden page stored its state");
  await page.evaluate(() => supportKpi("consent", false));
  assert.deepEqual(await storedKeys(page), [], "withdrawing consent deleted what was stored");
  await setVisibility(page, "visible");
  await fixture.leave(page, before + 2);
  const report = fixture.site.reports()[before + 1];
  assert.equal(report.goals?.purchase?.[0], 1, "the first page's purchase, carried in storage");
  assert.equal(report.engagement[0], 1, "the second page view");
  assert.deepEqual(errors, []);
  await context.close();
});
