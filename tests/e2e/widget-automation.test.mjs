// Automated and headless browsers are not measured unless the page opts in
// with data-allow-automation: the widget then prints one message, loads
// nothing more and sends nothing. The signals: navigator.webdriver, a
// HeadlessChrome user agent, automation globals (README lists them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { afterIdle, until } from "./lib/page.mjs";
import { countReportsSent, useSite, widgetStarted } from "./lib/site.mjs";

const fixture = useSite();

/** A user agent of a desktop Chrome that no automation runs. */
const PLAIN_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/**
 * A context whose pages lack data-allow-automation; `userAgent` and
 * `setup` (an init script) shape the signals the page shows.
 */
async function unmarkedContext({ userAgent, setup } = {}) {
  const context = await fixture.browser.newContext(userAgent ? { userAgent } : {});
  await context.route(`${fixture.site.url}/help/**`, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(" data-allow-automation", "") });
  });
  if (setup) await context.addInitScript(setup);
  await countReportsSent(context);
  return context;
}

/** Without webdriver: the signal left is the one `setup` adds. */
const noWebdriver = () => Object.defineProperty(Navigator.prototype, "webdriver", { configurable: true, get: () => false });

for (const [signal, options] of [
  ["navigator.webdriver", { userAgent: PLAIN_UA }],
  ["HeadlessChrome", { userAgent: PLAIN_UA.replace("Chrome/", "HeadlessChrome/"), setup: noWebdriver }],
  ["Cypress", { userAgent: PLAIN_UA, setup: () => (Object.defineProperty(Navigator.prototype, "webdriver", { get: () => false }), (window.Cypress = {})) }],
]) {
  test(`an automated browser (${signal}) is not measured: one message, nothing loaded or sent`, async () => {
    const context = await unmarkedContext(options);
    const page = await context.newPage();
    const messages = [];
    const errors = [];
    page.on("console", (m) => m.text().startsWith("[support-kpi]") && messages.push(m.text()));
    page.on("pageerror", (error) => errors.push(error));
    const requestsBefore = fixture.site.requests.length;
    await page.goto(`${fixture.site.url}/help/`);
    await until(() => messages.length > 0, "the message");
    await afterIdle(page); // when the widget would have loaded the runtime
    assert.deepEqual(messages, [`[support-kpi] not measuring: an automated browser (${signal}); data-allow-automation measures it`]);
    const loaded = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.includes("/support-kpi/")));
    assert.deepEqual(loaded.map((n) => new URL(n).pathname), ["/support-kpi/widget.js"]);
    await page.evaluate(() => supportKpi("conversion", "signup")); // the page's calls still work
    await page.goto(`${fixture.elsewhere.url}/blank.html`);
    assert.equal(await fixture.sentBy(context), 0, "nothing sent");
    // What reached the site, the requests of workers and of the unloading page included.
    const reached = fixture.site.requests.slice(requestsBefore).filter((r) => r.path.startsWith("/support-kpi/") || r.path === "/api/report");
    assert.deepEqual(reached.map((r) => `${r.method} ${r.path}`), ["GET /support-kpi/widget.js"]);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a browser without the signals is measured without the attribute", async () => {
  const context = await unmarkedContext({ userAgent: PLAIN_UA, setup: noWebdriver });
  const page = await context.newPage();
  await page.goto(`${fixture.site.url}/help/`);
  await widgetStarted(page);
  await context.close();
});
