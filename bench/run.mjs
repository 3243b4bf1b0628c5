// Runs every benchmark of the performance targets and prints one table with
// each figure, its target, pass/fail, and the ratio to its baseline run in the
// same process. Called by scripts/bench.sh, which builds everything first.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sizeTable } from "../scripts/sizes.mjs";
import { launch } from "../tests/e2e/lib/browser.mjs";
import { startCollector } from "../tests/e2e/lib/collector.mjs";
import { startServer } from "../tests/e2e/lib/server.mjs";
import { runIngest } from "./ingest.js";
import { scaleOut } from "./scale.mjs";
import { session } from "./page.js";
import { peerFigures, peerTable, runPeers } from "./peers/index.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Rounds of the peer benchmark (`RUNS=`, at least 9 for the figures the README quotes). */
const RUNS = Number(process.env.RUNS ?? 9);
/** `--peers`: only the peer benchmark (scripts/bench.sh --peers). */
const PEERS_ONLY = process.argv.includes("--peers");
const KB = 1024;
const rows = [];

/** One table row: `pass` is null for figures without a target. */
function row(figure, measured, target, pass, baseline = "", ratio = "") {
  rows.push({ figure, measured, target, result: pass === null ? "" : pass ? "pass" : "FAIL", baseline, ratio });
}

const fmt = (n, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const bytes = (n) => `${fmt(n)} B`;

function sizes() {
  const pkg = (name) => join(ROOT, "pkg", name);
  const adapters = readdirSync(join(ROOT, "pkg")).filter((f) => f.startsWith("widget-adapter-"));
  const largestAdapter = adapters.map((f) => ({ f, b: sizeTable([pkg(f)])[0].brotli })).sort((a, b) => b.b - a.b)[0];
  const built = readdirSync(join(ROOT, "pkg"));
  const files = ["widget.js", ...["widget-runtime-", "widget-engine-"].map((stem) => built.find((f) => f.startsWith(stem)))];
  const table = sizeTable([...files, largestAdapter.f].map(pkg));
  console.log("Widget files (raw / gzip -9 / brotli -q 11, bytes):");
  for (const r of table.slice(0, -1)) console.log(`  ${r.path.split("/").pop().padEnd(40)} ${fmt(r.raw).padStart(8)} ${fmt(r.gzip).padStart(8)} ${fmt(r.brotli).padStart(8)}`);
  const [loader, runtime, wasm, adapter] = table;
  const total = loader.brotli + runtime.brotli + wasm.brotli + adapter.brotli;
  row("widget transfer (loader + runtime/glue + Wasm + one adapter), brotli", bytes(total), "<= 20,480 B", total <= 20 * KB);
  row("loader (widget.js), brotli", bytes(loader.brotli), "<= 2,048 B", loader.brotli <= 2 * KB);
}

function ingestRows(where, result) {
  row(`Wasm ingest, batched (${where})`, `${fmt(result.wasmBatchNs)} ns/event`, "<= 1,000 ns", result.wasmBatchNs <= 1000, `plain JS ${fmt(result.jsNs)} ns`, `Wasm/JS ${fmt(result.wasmBatchNs / result.jsNs, 1)}`);
  row(`Wasm ingest, single track() (${where})`, `${fmt(result.wasmSingleNs)} ns/event`, "<= 5,000 ns", result.wasmSingleNs <= 5000);
  row(`  outputs equal to the baseline (${where})`, result.mismatches.length === 0 ? "yes" : result.mismatches.join("; "), "equal", result.mismatches.length === 0);
  const m = result.memoryAfter;
  const flat = m[1_000_000] === m[100_000];
  row(`Wasm linear memory after 10^3 / 10^5 / 10^6 events (${where})`, `${[m[1000], m[100000], m[1000000]].map((v) => fmt(v / KB)).join(" / ")} KiB`, "flat", flat);
}

async function ingestNode() {
  const engine = await import("../pkg/support_kpi.js");
  const wasm = engine.initSync({ module: readFileSync(join(ROOT, "pkg/support_kpi_bg.wasm")) });
  ingestRows("Node", runIngest({ KpiEngine: engine.KpiEngine, memory: wasm.memory }));
}

async function ingestChromium(browser) {
  const server = await startServer(ROOT);
  const page = await browser.newPage();
  await page.goto(`${server.url}/tests/e2e/fixtures/blank.html`);
  const result = await page.evaluate(async () => {
    const engine = await import("/pkg/support_kpi.js");
    const wasm = await engine.default();
    const { runIngest } = await import("/bench/ingest.js");
    return runIngest({ KpiEngine: engine.KpiEngine, memory: wasm.memory });
  });
  await page.close();
  await server.close();
  ingestRows("Chromium", result);
}

function nativeIngest() {
  const run = spawnSync(join(ROOT, "target/server/examples/native_ingest"), { encoding: "utf8" });
  const result = JSON.parse(run.stdout.trim().split("\n").pop());
  row("native ingest, one core (validated events)", `${fmt(result.typed_events_per_s / 1e6, 1)} M events/s`, ">= 20 M/s", result.typed_events_per_s >= 20e6);
  row("  native ingest from JSON text (decoding included)", `${fmt(result.json_events_per_s / 1e6, 2)} M events/s`, "", null);
}

async function pages(browser, peers) {
  const widget = peerFigures(peers.results.get("widget"));
  const plausible = peerFigures(peers.results.get("plausible"));
  for (const [name, which] of [["first", "a device's first page view"], ["later", "a later page view"], ["first4", "a first page view at 4× CPU throttling"], ["later4", "a later page view at 4× CPU throttling"]]) {
    const ms = widget.cpu[name].median;
    const base = plausible.cpu[name].median;
    row(`main-thread CPU of the widget, ${which} (Chromium)`, `${fmt(ms, 1)} ms`, "<= Plausible's", ms <= base, `Plausible ${fmt(base, 1)} ms`, `${fmt(ms / base, 1)}x`);
  }
  const longTasks = widget.longTasks.reduce((a, b) => a + b, 0) - peerFigures(peers.results.get("none")).longTasks.reduce((a, b) => a + b, 0);
  row("  long tasks beyond the page alone (medians per view, four views summed)", `${longTasks}`, "0", longTasks <= 0);
  row("widget bytes before the page's first idle, brotli", bytes(widget.beforeIdle), "<= 3,072 B", widget.beforeIdle <= 3 * KB, `Plausible ${bytes(plausible.beforeIdle)}`);
  row("widget bytes on a later page view", bytes(widget.laterBytes), "0 B", widget.laterBytes === 0);
  const s = await session(browser);
  row(`network per ${s.pageViews}-page session with one chat`, `${s.requests} request, ${bytes(s.bytes)}`, "1 request, <= 600 B", s.requests === 1 && s.bytes <= 600, `per-event hits: ${s.baselineRequests} requests, ${bytes(s.baselineBytes)}`, `${fmt(s.baselineRequests / s.requests)}x fewer requests, ${fmt(s.baselineBytes / s.bytes, 1)}x fewer bytes`);
}

async function collector() {
  const origin = "https://help.acme.example";
  const server = await startCollector({ sites: [{ key: "acme-help", origins: [origin] }], binary: join(ROOT, "target/server/support-kpi-collector") });
  try {
    const addr = new URL(server.url).host;
    const run = spawnSync(join(ROOT, "target/server/support-kpi-loadgen"), ["--addr", addr, "--site", "acme-help", "--origin", origin, "--rate", "20000", "--duration", "10"], { encoding: "utf8" });
    const result = JSON.parse(run.stdout.trim().split("\n").pop());
    const sustained = result.achieved_rate >= 20_000 * 0.99 && result.errors === 0;
    row("collector ingest on 2 cores (open-loop load on loopback, shared cores)", `${fmt(result.achieved_rate)} reports/s, p99 ${fmt(result.p99_ms, 1)} ms`, ">= 20,000/s, p99 < 20 ms", sustained && result.p99_ms < 20);
  } finally {
    await server.close();
  }
}

function print() {
  const columns = ["figure", "measured", "target", "result", "baseline", "ratio"];
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join(" | ");
  console.log(`\n${line(columns)}\n${widths.map((w) => "-".repeat(w)).join("-|-")}`);
  for (const r of rows) console.log(line(columns.map((c) => r[c])));
}

const browser = await launch();
let peers;
try {
  if (!PEERS_ONLY) {
    sizes();
    await ingestNode();
    await ingestChromium(browser);
    nativeIngest();
  }
  console.log(`Peers: ${RUNS} rounds (RUNS=)`);
  peers = await runPeers(browser, RUNS);
  if (!PEERS_ONLY) await pages(browser, peers);
} finally {
  await browser.close();
}
if (!PEERS_ONLY) {
  await collector();
  await scaleOut(row);
  print();
}
console.log(`\nPeers on the help-article page (${new Date().toISOString().slice(0, 10)}):\n\n${peerTable(peers, RUNS)}`);
