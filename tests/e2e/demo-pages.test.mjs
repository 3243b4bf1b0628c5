// The demo pages load without a failing request: every file they and the
// widget fetch exists, and their icon is inline, so the browser asks for no
// /favicon.ico (which the collector does not serve).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DEMO = join(ROOT, "www/demo");
const PAGES = [
  ...readdirSync(DEMO).filter((f) => f.endsWith(".html")).map((f) => `/demo/${f}`),
  ...readdirSync(join(DEMO, "help")).filter((f) => f.endsWith(".html")).map((f) => `/demo/help/${f}`),
];
let server, browser;

before(async () => {
  const accepted = (req, res) => res.writeHead(202, { "content-type": "application/json" }).end('{"status":"stored"}');
  server = await startServer(join(ROOT, "www"), { mounts: { "/support-kpi/": join(ROOT, "pkg") }, routes: { "/api/report": accepted } });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("every demo page has an inline icon and no request of the demo fails", async () => {
  assert.ok(PAGES.length >= 6, `demo pages found: ${PAGES}`);
  const page = await browser.newPage();
  const failed = [];
  page.on("response", (response) => response.status() >= 400 && failed.push(`${response.status()} ${response.url()}`));
  page.on("requestfailed", (request) => failed.push(`failed ${request.url()}`));
  for (const path of PAGES) {
    await page.goto(`${server.url}${path}`, { waitUntil: "load" });
    const icons = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((link) => link.href));
    assert.deepEqual(icons, ["data:,"], `${path} declares one inline icon`);
    await page.waitForFunction(() => window.supportKpi?.started === true);
  }
  await page.close();
  assert.deepEqual(failed, []);
  assert.deepEqual(server.requests.filter((r) => r.path === "/favicon.ico").map((r) => r.path), [], "no /favicon.ico requested");
});
