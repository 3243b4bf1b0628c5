// Where the widget's main-thread time goes on a first and a later view,
// `RUNS` views each: V8's sampling CPU profile (CDP Profiler, 100 µs) summed
// by function and by task entry, and, in separate views, a Chromium trace of
// the page's renderer main thread summed by event in thread CPU time (`tdur`).
// `node bench/peers/profile.mjs` after `bash scripts/build.sh`; the phases
// docs/performance.md names (module evaluation, storage access, Wasm
// compilation and instantiation, engine start) are read off these lists.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launch } from "../../tests/e2e/lib/browser.mjs";
import { ARTICLE, TRACE_CATEGORIES, articleMainThread, initScript, settled } from "./measure.mjs";
import { startPeerSite } from "./site.mjs";
import { peerTools } from "./tools.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const TOP = 30;

const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));

/** "name file:line:column", and for the widget's minified files the source text there. */
function describe({ functionName, url, lineNumber, columnNumber }) {
  const file = url.split("/").pop() || "";
  const key = `${functionName || "(anonymous)"} ${file}${file ? `:${lineNumber}:${columnNumber}` : ""}`.trim();
  if (!url.includes("/support-kpi/") || !file.endsWith(".js")) return key;
  const line = readFileSync(PKG + file, "utf8").split("\n")[lineNumber] ?? "";
  return `${key}  «${line.slice(columnNumber, columnNumber + 70)}»`;
}

/** Adds the profile's self time (ms) per function to `self`, and its time per task entry (the outermost JS frame) to `entry`. */
function add(profile, { self, entry }) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const key = describe(nodes.get(id).callFrame);
    self.set(key, (self.get(key) ?? 0) + ms);
    let top = id;
    while (parent.has(top) && parent.get(parent.get(top)) !== undefined) top = parent.get(top);
    const outer = describe(nodes.get(top).callFrame);
    entry.set(outer, (entry.get(outer) ?? 0) + ms);
  });
}

/** Trace events that name a phase: script evaluation, tasks, idle callbacks, Wasm compilation and instantiation, GC. */
const PHASES = /^(RunTask|EvaluateScript|v8\.evaluateModule|FunctionCall|AsyncTask Run|FireIdleCallback|TimerFire|EventDispatch|ParseHTML|Layout|MinorGC|MajorGC|v8\.wasm\.|wasm\.)/;

/** Adds the thread CPU (ms) per phase event of the page's renderer main thread in `events` to `into`. */
function addTrace(events, into) {
  for (const e of articleMainThread(events)) {
    if (e.tdur === undefined || !PHASES.test(e.name)) continue;
    const url = (e.args?.data?.url ?? "").split("/").pop();
    const key = `${e.name} ${url}`.trim();
    into.set(key, (into.get(key) ?? 0) + e.tdur / 1000);
  }
}

/** One view of the article on a new page of `context`, measured by `around(page, navigate)`. */
async function measuredView(context, around) {
  const page = await context.newPage();
  await around(page, () => settled(page, site, () => page.goto(site.url + ARTICLE)));
  await page.goto("about:blank");
  await page.close();
}

const tool = (await peerTools()).find((t) => t.id === "widget");
const site = await startPeerSite(tool);
const browser = await launch();
const totals = { first: { self: new Map(), entry: new Map(), trace: new Map() }, later: { self: new Map(), entry: new Map(), trace: new Map() } };
try {
  for (let run = 0; run < RUNS; run++) {
    let context = await browser.newContext();
    await context.addInitScript(initScript(tool));
    for (const which of ["first", "later"]) {
      await measuredView(context, async (page, view) => {
        const cdp = await context.newCDPSession(page);
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        await cdp.send("Profiler.start");
        await view();
        add((await cdp.send("Profiler.stop")).profile, totals[which]);
      });
    }
    await context.close();
    context = await browser.newContext();
    await context.addInitScript(initScript(tool));
    for (const which of ["first", "later"]) {
      await measuredView(context, async (page, view) => {
        await browser.startTracing(page, { categories: TRACE_CATEGORIES });
        await view();
        const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
        addTrace(trace.traceEvents ?? trace, totals[which].trace);
      });
    }
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
for (const [which, { self, entry, trace }] of Object.entries(totals)) {
  const lists = [["self time per function, CPU profile", self], ["time per task entry (outermost JS frame), CPU profile", entry], ["thread CPU per trace event (nested events overlap)", trace]];
  for (const [what, times] of lists) {
    console.log(`\n${which} view, ${what} (ms per view, mean of ${RUNS}), top ${TOP}:`);
    for (const [key, ms] of [...times].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(ms / RUNS).toFixed(2).padStart(7)}  ${key}`);
  }
}
