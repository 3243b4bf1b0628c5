// Two builds of the widget side by side in the peer harness: each round
// measures the page alone and both builds (order alternating), first and
// later view at 1× and 4× CPU throttling, and prints the paired CPU medians
// and the long tasks beyond the page alone, round by round.
// `node bench/peers/compare.mjs DIR_A DIR_B` (each a copy of `pkg/`; `RUNS=`, default 9).
import { launch } from "../../tests/e2e/lib/browser.mjs";
import { views } from "./measure.mjs";
import { startPeerSite } from "./site.mjs";
import { peerTools } from "./tools.mjs";

const RUNS = Number(process.env.RUNS ?? 9);
const dirs = process.argv.slice(2);
if (dirs.length !== 2) throw new Error("usage: node bench/peers/compare.mjs DIR_A DIR_B (copies of pkg/)");

const tools = await peerTools();
const alone = tools.find((t) => t.id === "none");
const widget = tools.find((t) => t.id === "widget");
const builds = dirs.map((dir, i) => ({ ...widget, id: "AB"[i], mounts: { "/support-kpi/": dir } }));
const sites = new Map();
for (const tool of [alone, ...builds]) sites.set(tool.id, await startPeerSite(tool));
const browser = await launch();
const figures = new Map();
try {
  for (let run = 0; run < RUNS; run++) {
    for (const throttle of [1, 4]) {
      const order = run % 2 ? [...builds].reverse() : builds;
      const round = {};
      for (const tool of [alone, ...order]) round[tool.id] = await views(browser, sites.get(tool.id), tool, throttle);
      for (const { id } of builds) {
        for (const view of ["first", "later"]) {
          const key = `${id} ${view} ${throttle}×`;
          if (!figures.has(key)) figures.set(key, { cpu: [], longTasks: [] });
          figures.get(key).cpu.push(round[id][view].cpuMs - round.none[view].cpuMs);
          figures.get(key).longTasks.push(round[id][view].longTasks - round.none[view].longTasks);
        }
      }
    }
    process.stdout.write(`  compare: round ${run + 1}/${RUNS} done\n`);
  }
} finally {
  await browser.close();
  for (const site of sites.values()) await site.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`\nA = ${dirs[0]}, B = ${dirs[1]}; CPU: paired with the page alone, median of ${RUNS}; long tasks beyond the page alone, per round:`);
for (const [key, { cpu, longTasks }] of [...figures].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`  ${key.padEnd(14)} CPU ${median(cpu).toFixed(1).padStart(6)} ms   long tasks ${longTasks.join(",")}`);
}
