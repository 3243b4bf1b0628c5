// The widget included from another origin, as from a collector or a CDN: a
// page on one loopback origin, the widget files and the collector on
// another. Served from a directory that holds only the files the README
// lists (pkg/widget*), with the loader's integrity attribute, a chat
// vendor's adapter chunk and live KPIs; a file that does not match its hash
// is not run.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CROSS_PORT_LOOPBACK, launch } from "./lib/browser.mjs";
import { startCollector } from "./lib/collector.mjs";
import { until } from "./lib/page.mjs";
import { startServer } from "./lib/server.mjs";

const PKG = fileURLToPath(new URL("../../pkg", import.meta.url));
const FIXTURES = fileURLToPath(new URL("fixtures", import.meta.url));
const FAKES = fileURLToPath(new URL("fakes", import.meta.url));
const integrity = `sha384-${createHash("sha384").update(readFileSync(join(PKG, "widget.js"))).digest("base64")}`;

const env = {};
before(async () => {
  env.dir = mkdtempSync(join(tmpdir(), "support-kpi-widget-"));
  for (const name of readdirSync(PKG).filter((f) => f.startsWith("widget"))) cpSync(join(PKG, name), join(env.dir, name));
  env.page = await startServer(FIXTURES, {
    mounts: { "/fakes/": FAKES },
    routes: { "/help/": (req, res) => res.writeHead(200, { "content-type": "text/html" }).end(env.html) },
  });
  env.collector = await startCollector({
    sites: [{ key: "acme-help", origins: [env.page.url], timeZone: "Europe/Amsterdam" }],
    mounts: [`/support-kpi=${env.dir}`],
  });
  env.html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Help</title>
    <script src="/fakes/common.js"></script><script src="/fakes/livechat.js"></script>
    <script>window.supportKpi = window.supportKpi || function () { (supportKpi.q = supportKpi.q || []).push(arguments); };
      supportKpi("onKpis", function (kpis) { window.latestKpis = kpis; });</script>
    <script defer src="${env.collector.url}/support-kpi/widget.js" integrity="${integrity}" crossorigin="anonymous"
      data-allow-automation data-site="acme-help" data-chat="livechat" data-time-zone="Europe/Amsterdam"></script>
    </head><body><h1>Help</h1></body></html>`;
  env.browser = await launch(CROSS_PORT_LOOPBACK);
});
after(async () => {
  await env.browser?.close();
  await env.collector?.close();
  await env.page?.close();
  rmSync(env.dir, { recursive: true, force: true });
});

/** A page of the site with the widget's console messages and page errors recorded. */
async function visit(context) {
  const page = await context.newPage();
  const messages = [];
  const errors = [];
  page.on("console", (m) => m.text().startsWith("[support-kpi]") && messages.push(m.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${env.page.url}/help/`);
  return { page, messages, errors };
}

test("the widget included from the collector's origin measures, loads its adapter and live KPIs, and reports there", async () => {
  const context = await env.browser.newContext();
  const { page, messages, errors } = await visit(context);
  await page.waitForFunction(() => window.supportKpi?.started === true);
  await page.waitForFunction(() => window.latestKpis?.engagement.supportPageShare.den === 1);
  const loaded = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname));
  for (const stem of ["widget-runtime-", "widget-engine-", "widget-zone-Europe.Amsterdam-", "widget-files-", "widget-adapter-livechat-", "widget-kpis-"]) {
    assert.ok(loaded.some((path) => path.startsWith(`/support-kpi/${stem}`)), `${stem}* loaded`);
  }
  await page.goto("about:blank");
  const reports = async () => (await env.collector.api("/api/kpis?site=acme-help&bucket=day")).reports;
  await until(async () => (await reports()) === 1, "the report at the collector");
  assert.deepEqual(messages, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the collector serves the widget's files with CORS for the site and caches them by name", async () => {
  const get = (name, origin) => fetch(`${env.collector.url}/support-kpi/${name}`, { headers: { origin } });
  const loader = await get("widget.js", env.page.url);
  assert.equal(loader.headers.get("access-control-allow-origin"), env.page.url);
  assert.equal(loader.headers.get("cache-control"), "public, max-age=300");
  for (const name of readdirSync(env.dir).filter((n) => n !== "widget.js")) {
    const response = await get(name, env.page.url);
    assert.equal(response.status, 200, name);
    assert.equal(response.headers.get("access-control-allow-origin"), env.page.url, name);
    assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable", name);
  }
  const elsewhere = await get("widget.js", "https://not-a-site.example");
  assert.equal(elsewhere.headers.get("access-control-allow-origin"), null, "no CORS for an origin no site has");
});

for (const [what, pattern, expected] of [
  ["the runtime", "**/support-kpi/widget-runtime-*.js", /^\[support-kpi\] not measuring: widget-runtime-\w+\.js failed to load or does not match its integrity hash$/],
  ["the engine", "**/support-kpi/widget-engine-*.wasm", /^\[support-kpi\] not measuring: widget-engine-\w+\.wasm failed to load or does not match its integrity hash$/],
  ["an adapter chunk", "**/support-kpi/widget-adapter-livechat-*.js", /^\[support-kpi\] the livechat adapter failed: widget-adapter-livechat-\w+\.js failed to load or does not match its integrity hash$/],
]) {
  test(`${what} not matching its hash is not run`, async () => {
    const context = await env.browser.newContext();
    await context.route(pattern, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: Buffer.concat([await response.body(), Buffer.from("\n// tampered\n")]) });
    });
    const { page, messages, errors } = await visit(context);
    await until(() => messages.length > 0, "the message");
    assert.match(messages[0], expected);
    if (what === "an adapter chunk") await page.waitForFunction(() => window.supportKpi?.started === true); // measuring without the vendor
    else assert.notEqual(await page.evaluate(() => window.supportKpi.started), true);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
