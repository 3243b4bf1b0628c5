// Where the widget's main-thread time goes on a first and a later view,
// `RUNS` views each: V8's sampling CPU profile (CDP Profiler, 100 µs) summed
// by function and by task entry, and, in separate views, a Chromium trace of
// the page's renderer main thread: each event's self thread CPU time (`tdur`
// less its children's) summed by name, for the widget, the page alone and
// Plausible's tracker, so that what the widget adds is read per event.
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

/**
 * Adds a trace of the page's renderer main thread (`events`) to `into`:
 * `events`, each event's self thread CPU (ms: its `tdur` less its
 * children's) by name; `origins`, the top-level tasks by where they were
 * posted from (the scheduler's `src_func`), `[count, thread CPU ms]`.
 */
function addTrace(events, { events: byName, origins }) {
  const timed = articleMainThread(events)
    .filter((e) => e.tdur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const open = [];
  const nested = new Map(timed.map((e) => [e, 0]));
  const tasks = [];
  for (const e of timed) {
    while (open.length && open.at(-1).ts + open.at(-1).dur <= e.ts) open.pop();
    if (open.length) {
      nested.set(open.at(-1), nested.get(open.at(-1)) + e.tdur);
      tasks.at(-1).origin ??= e.args?.src_func;
    } else tasks.push({ task: e, origin: e.args?.src_func });
    open.push(e);
  }
  for (const [e, inner] of nested) byName.set(e.name, (byName.get(e.name) ?? 0) + (e.tdur - inner) / 1000);
  for (const { task, origin = "(unnamed)" } of tasks) {
    const [count, ms] = origins.get(origin) ?? [0, 0];
    origins.set(origin, [count + 1, ms + task.tdur / 1000]);
  }
}

/** One view of the article from `site` on a new page of `context`, measured by `around(page, navigate)`. */
async function measuredView(context, site, around) {
  const page = await context.newPage();
  await around(page, () => settled(page, site, () => page.goto(site.url + ARTICLE)));
  await page.goto("about:blank");
  await page.close();
}

const tools = await peerTools();
const tool = tools.find((t) => t.id === "widget");
/** The tools traced, in the tables' column order: the widget, and beside it the page alone and Plausible, against which each event's time is read. */
const TRACED = ["widget", "none", "plausible"];
const traced = TRACED.map((id) => tools.find((t) => t.id === id));
const sites = new Map();
for (const t of traced) sites.set(t.id, await startPeerSite(t));
const browser = await launch();
const totals = { first: { self: new Map(), entry: new Map() }, later: { self: new Map(), entry: new Map() } };
const traces = Object.fromEntries(traced.map((t) => [t.id, { first: { events: new Map(), origins: new Map() }, later: { events: new Map(), origins: new Map() } }]));
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    await context.addInitScript(initScript(tool));
    for (const which of ["first", "later"]) {
      await measuredView(context, sites.get("widget"), async (page, view) => {
        const cdp = await context.newCDPSession(page);
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
        await cdp.send("Profiler.start");
        await view();
        add((await cdp.send("Profiler.stop")).profile, totals[which]);
      });
    }
    await context.close();
    for (const t of run % 2 ? [...traced].reverse() : traced) {
      const tracedContext = await browser.newContext();
      await tracedContext.addInitScript(initScript(t));
      for (const which of ["first", "later"]) {
        await measuredView(tracedContext, sites.get(t.id), async (page, view) => {
          await browser.startTracing(page, { categories: TRACE_CATEGORIES });
          await view();
          const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
          addTrace(trace.traceEvents ?? trace, traces[t.id][which]);
        });
      }
      await tracedContext.close();
    }
  }
} finally {
  await browser.close();
  for (const s of sites.values()) await s.close();
}
for (const [which, { self, entry }] of Object.entries(totals)) {
  const lists = [["self time per function, CPU profile", self], ["time per task entry (outermost JS frame), CPU profile", entry]];
  for (const [what, times] of lists) {
    console.log(`\n${which} view, ${what} (ms per view, mean of ${RUNS}), top ${TOP}:`);
    for (const [key, ms] of [...times].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${(ms / RUNS).toFixed(2).padStart(7)}  ${key}`);
  }
}
const cell = (value, width = 8) => value.toFixed(2).padStart(width);
/** Prints `names` with the widget's, the page alone's and Plausible's `figure(id, name)` and the two excesses, largest widget excess first. */
function compared(title, names, figure) {
  console.log(`\n${title}, top ${TOP} by the widget's excess over the page alone:`);
  console.log(`  ${"widget".padStart(8)}${"alone".padStart(8)}${"Plausible".padStart(10)}${"widget−".padStart(9)}${"Plaus.−".padStart(9)}`);
  const excess = (name) => figure("widget", name) - figure("none", name);
  for (const name of [...names].sort((a, b) => excess(b) - excess(a)).slice(0, TOP)) {
    const [w, a, p] = TRACED.map((id) => figure(id, name));
    console.log(`  ${cell(w)}${cell(a)}${cell(p, 10)}${cell(w - a, 9)}${cell(p - a, 9)}  ${name}`);
  }
}
for (const which of ["first", "later"]) {
  const of = (id) => traces[id][which];
  const all = (id) => [...of(id).events.values()].reduce((sum, ms) => sum + ms, 0);
  const tasks = (id) => [...of(id).origins.values()].reduce((sum, [count]) => sum + count, 0);
  console.log(`\n${which} view, traced (mean of ${RUNS}): all events ${TRACED.map((id) => `${id} ${(all(id) / RUNS).toFixed(2)} ms in ${(tasks(id) / RUNS).toFixed(1)} tasks`).join(", ")}`);
  const names = (key) => new Set([...of("widget")[key].keys(), ...of("none")[key].keys()]);
  compared(`${which} view, self thread CPU per trace event (ms per view)`, names("events"), (id, name) => (of(id).events.get(name) ?? 0) / RUNS);
  compared(`${which} view, top-level tasks per view by where they were posted from`, names("origins"), (id, name) => (of(id).origins.get(name)?.[0] ?? 0) / RUNS);
  compared(`${which} view, thread CPU of those tasks (ms per view)`, names("origins"), (id, name) => (of(id).origins.get(name)?.[1] ?? 0) / RUNS);
}
