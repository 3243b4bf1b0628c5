// The optimised pkg/ build (after wasm-opt) in real Chromium and in Node:
// only this catches a module that wasm-opt broke.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launch } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let server, browser;

before(async () => {
  server = await startServer(ROOT);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs the API end to end with whatever module `load()` returns; returns plain data. */
async function exercise(load) {
  const { KpiEngine, mergeReports, kpisFromReport } = await load();
  const engine = new KpiEngine({ siteKey: "acme", timeZone: "Europe/Amsterdam", goals: ["purchase"] });
  const t = Date.UTC(2026, 10, 23, 9, 0);
  engine.track({ type: "page_view", ts: t, support: true });
  engine.track({ type: "chat_button_impression", ts: t + 1000 });
  const first = engine.report();
  // A toJSON the packer never sees (not enumerable) counts the times the
  // JSON path serialises a batch: 0 means the packed fast path took it.
  const countJson = (events) => {
    let calls = 0;
    Object.defineProperty(events, "toJSON", { value() { calls++; return this; } });
    return () => calls;
  };
  const mixed = [
    { type: "chat_started", ts: t + 2000 },
    { type: "agent_message", ts: t + 32000 },
    { type: "conversion", ts: t + 60000, goal: "nope" },
  ];
  const mixedJson = countJson(mixed);
  const batch = engine.trackBatch(mixed);
  const second = engine.report();
  let error;
  try {
    engine.track({ type: "page_view", ts: t });
  } catch (e) {
    error = { isError: e instanceof Error, message: e.message };
  }
  const restored = KpiEngine.restore({ siteKey: "acme", timeZone: "Europe/Amsterdam", goals: ["purchase"] }, engine.saveState());
  // Only packable events: counted by the fast path exactly like single ones.
  const config = { siteKey: "acme", timeZone: "Europe/Amsterdam" };
  const fast = new KpiEngine(config);
  const single = new KpiEngine(config);
  const packable = [
    { type: "availability", ts: t, online: true },
    { type: "page_view", ts: t + 1000.5, support: true },
    { type: "chat_button_impression", ts: t + 2000 },
    { type: "chat_button_click", ts: t + 3000 },
    { type: "chat_open", ts: t + 4000 },
    { type: "chat_started", ts: t + 5000 },
    { type: "customer_message", ts: t + 6000 },
    { type: "agent_message", ts: t + 25000 },
    { type: "chat_ended", ts: t + 90000, resolved: true, transferred: true },
    { type: "survey", ts: t + 95000, kind: "csat", score: 5 },
  ];
  for (const event of packable) single.track(event);
  const packableJson = countJson(packable);
  const packed = { batch: fast.trackBatch(packable), kpis: fast.kpis(), singleKpis: single.kpis() };
  return {
    viaJson: { mixed: mixedJson(), packable: packableJson() },
    packed,
    kpis: engine.kpis(),
    restoredKpis: restored.kpis(),
    merged: kpisFromReport(mergeReports(first, second)),
    batch,
    error,
  };
}

function check(result) {
  assert.deepEqual(result.kpis.engagement.chatEngagementRatio, { num: 1, den: 1, value: 1 });
  assert.equal(result.kpis.speed.firstResponse.mean, 30);
  assert.equal(result.kpis.byHour[10].pageViews, 1, "10:00 in Amsterdam");
  assert.deepEqual(result.merged, result.kpis);
  assert.deepEqual(result.restoredKpis, result.kpis);
  assert.deepEqual(result.batch, { accepted: 2, rejected: [{ index: 2, error: 'goal: "nope" is not one of the configured goals' }] });
  assert.deepEqual(result.error, { isError: true, message: "support: is required" });
  assert.deepEqual(result.packed.batch, { accepted: 10, rejected: [] });
  assert.deepEqual(result.packed.kpis, result.packed.singleKpis);
  assert.equal(result.packed.kpis.speed.firstResponse.mean, 20);
  assert.deepEqual(result.viaJson, { mixed: 1, packable: 0 }, "a conversion goes the JSON path, the packable batch the packed one");
}

test("optimised pkg/ works in Chromium", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${server.url}/tests/e2e/fixtures/blank.html`);
  const result = await page.evaluate(`(${exercise})(async () => {
    const module = await import("/pkg/support_kpi.js");
    await module.default();
    return module;
  })`);
  check(result);
  assert.deepEqual(errors, []);
  await page.close();
});

test("optimised pkg/ works in Node", async () => {
  const result = await exercise(async () => {
    const module = await import("../../pkg/support_kpi.js");
    module.initSync({ module: readFileSync(new URL("../../pkg/support_kpi_bg.wasm", import.meta.url)) });
    return module;
  });
  check(result);
});

test("pkg/ is an npm package with types first", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  assert.equal(manifest.name, "support-kpi");
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "default"]);
  assert.equal(manifest.license, "MIT OR Apache-2.0");
  const types = readFileSync(new URL("../../pkg/support_kpi.d.ts", import.meta.url), "utf8");
  for (const name of ["class KpiEngine", "export function mergeReports", "export function kpisFromReport", "trackBatch(events: KpiEvent[]): BatchResult", "export interface Kpis"]) {
    assert.ok(types.includes(name), `types declare ${name}`);
  }
  // wasm-bindgen's raw export table (InitOutput) follows the API; the API itself has no `any`.
  const api = types.slice(0, types.indexOf("export type InitInput"));
  assert.doesNotMatch(api, /(?:[:<|,(]|=>)\s*any\b|\bany\[\]/, "no `any` in the public types");
});
