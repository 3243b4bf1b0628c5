// Builds of the widget side by side in the peer harness, with Plausible's
// tracker as the yardstick: each round measures the page alone, Plausible
// and every build (the order rotating from round to round), first and later
// view at 1× and 4× CPU throttling, and prints each one's paired CPU median
// [interquartile range] with its ratio to Plausible's, and the long tasks
// beyond the page alone round by round. How a change is measured against
// the build before it, or what each part of a view costs (throw-away builds
// that leave the rest out), on a noisy machine.
// `node bench/peers/compare.mjs DIR...` (each a copy of `pkg/`, named after
// its directory; `RUNS=`, default 9).
import { basename } from "node:path";
import { launch } from "../../tests/e2e/lib/browser.mjs";
import { quantile } from "./index.mjs";
import { views } from "./measure.mjs";
import { startPeerSite } from "./site.mjs";
import { peerTools } from "./tools.mjs";

const RUNS = Number(process.env.RUNS ?? 9);
const dirs = process.argv.slice(2);
if (dirs.length === 0) throw new Error("usage: node bench/peers/compare.mjs DIR... (copies of pkg/)");

const tools = await peerTools();
const alone = tools.find((t) => t.id === "none");
const plausible = tools.find((t) => t.id === "plausible");
const widget = tools.find((t) => t.id === "widget");
const builds = dirs.map((dir) => ({ ...widget, id: basename(dir), mounts: { "/support-kpi/": dir } }));
const measured = [plausible, ...builds];
const ids = [alone, ...measured].map((t) => t.id);
if (new Set(ids).size < ids.length) throw new Error(`each build's directory needs a name of its own, other than "${alone.id}" and "${plausible.id}"`);
const sites = new Map();
for (const tool of [alone, ...measured]) sites.set(tool.id, await startPeerSite(tool));
const browser = await launch();
const figures = new Map();
try {
  for (let run = 0; run < RUNS; run++) {
    const order = measured.map((_, i) => measured[(i + run) % measured.length]);
    for (const throttle of [1, 4]) {
      const round = {};
      for (const tool of [alone, ...order]) round[tool.id] = await views(browser, sites.get(tool.id), tool, throttle);
      for (const { id } of measured) {
        for (const view of ["first", "later"]) {
          const key = `${view} ${throttle}×`;
          if (!figures.has(key)) figures.set(key, new Map(measured.map((t) => [t.id, { cpu: [], longTasks: [] }])));
          const figure = figures.get(key).get(id);
          figure.cpu.push(round[id][view].cpuMs - round.none[view].cpuMs);
          figure.longTasks.push(round[id][view].longTasks - round.none[view].longTasks);
        }
      }
    }
    process.stdout.write(`  compare: round ${run + 1}/${RUNS} done\n`);
  }
} finally {
  await browser.close();
  for (const site of sites.values()) await site.close();
}
const ms = (n) => n.toFixed(1);
const width = Math.max(...measured.map((t) => t.id.length));
console.log(`\nCPU: paired with the page alone, median [interquartile range] of ${RUNS}, (×) the ratio to Plausible's; long tasks beyond the page alone, per round:`);
for (const [key, byTool] of figures) {
  const base = quantile(byTool.get(plausible.id).cpu, 0.5);
  console.log(key);
  for (const [id, { cpu, longTasks }] of byTool) {
    const median = quantile(cpu, 0.5);
    const spread = `[${ms(quantile(cpu, 0.25))}…${ms(quantile(cpu, 0.75))}]`;
    console.log(`  ${id.padEnd(width)} CPU ${ms(median).padStart(6)} ms ${spread.padEnd(14)} (${(median / base).toFixed(1)}×)   long tasks ${longTasks.join(",")}`);
  }
}
