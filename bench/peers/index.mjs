// The peer benchmark: the widget against the analytics scripts a site would
// pick instead, on the same help-article page in one run. Every tool gets a
// first view and a later view, at 1× and 4× CPU throttling, in `runs` rounds
// that alternate the tools' order; each tool's CPU is paired with the page
// alone measured in the same round. Prints a Markdown table with each
// figure and its ratio to Plausible's.
import { session, views } from "./measure.mjs";
import { startPeerSite } from "./site.mjs";
import { peerTools } from "./tools.mjs";

/** The four views of each tool: first and later, at 1× and 4× CPU throttling. */
const CONDITIONS = [
  { name: "first", view: "first", throttle: 1 },
  { name: "later", view: "later", throttle: 1 },
  { name: "first4", view: "first", throttle: 4 },
  { name: "later4", view: "later", throttle: 4 },
];
const THROTTLES = [1, 4];

const sorted = (values) => [...values].sort((a, b) => a - b);
/** The value at quantile `q` of `values` (nearest rank). */
export const quantile = (values, q) => sorted(values)[Math.min(values.length - 1, Math.floor(q * values.length))];

/** Measures every tool; `runs` rounds (≥ 1). Returns `{ tools, results }`, results by tool id. */
export async function runPeers(browser, runs) {
  const tools = await peerTools();
  const sites = new Map();
  for (const tool of tools) sites.set(tool.id, await startPeerSite(tool));
  const results = new Map(tools.map((t) => [t.id, { views: Object.fromEntries(CONDITIONS.map((c) => [c.name, []])), cpu: Object.fromEntries(CONDITIONS.map((c) => [c.name, []])) }]));
  try {
    for (let run = 0; run < runs; run++) {
      const order = tools.map((_, i) => tools[(i + run) % tools.length]);
      for (const throttle of THROTTLES) {
        const round = new Map();
        for (const tool of order) round.set(tool.id, await views(browser, sites.get(tool.id), tool, throttle));
        for (const condition of CONDITIONS.filter((c) => c.throttle === throttle)) {
          for (const tool of tools) {
            const r = results.get(tool.id);
            const measured = round.get(tool.id)[condition.view];
            r.views[condition.name].push(measured);
            r.cpu[condition.name].push(measured.cpuMs - round.get("none")[condition.view].cpuMs);
          }
        }
      }
      process.stdout.write(`  peers: round ${run + 1}/${runs} done\n`);
    }
    for (const tool of tools) results.get(tool.id).session = await session(browser, sites.get(tool.id), tool);
  } finally {
    for (const site of sites.values()) await site.close();
  }
  return { tools, results };
}

const fmt = (n, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ratio = (value, base) => (base > 0 ? ` (${fmt(value / base, 1)}×)` : value === 0 ? " (–)" : " (∞)");

/** The figures of one tool: medians and interquartile ranges of the paired CPU, downloads of the last round. */
export function peerFigures(result) {
  const last = (name) => result.views[name].at(-1);
  const cpu = (name) => ({ median: quantile(result.cpu[name], 0.5), low: quantile(result.cpu[name], 0.25), high: quantile(result.cpu[name], 0.75) });
  const longTasks = (name) => quantile(result.views[name].map((v) => v.longTasks), 0.5);
  return {
    files: last("first").files,
    bytes: last("first").bytes,
    beforeIdle: last("first").beforeIdleBytes,
    laterBytes: last("later").bytes,
    requests: result.session.requests,
    cpu: Object.fromEntries(CONDITIONS.map((c) => [c.name, cpu(c.name)])),
    longTasks: CONDITIONS.map((c) => longTasks(c.name)),
  };
}

/** The peer table in Markdown, with the widget's targets (issue 17) as its first row. */
export function peerTable({ tools, results }, runs) {
  const base = peerFigures(results.get("plausible"));
  const cpuCell = (f, name) => `${fmt(f.cpu[name].median, 1)} [${fmt(f.cpu[name].low, 1)}…${fmt(f.cpu[name].high, 1)}]${ratio(f.cpu[name].median, base.cpu[name].median)}`;
  const header = [
    "tool",
    "files, first view",
    "brotli bytes, first view",
    "bytes before first idle",
    "bytes, later view",
    "requests, 5-page session",
    "CPU ms, first view",
    "CPU ms, later view",
    "CPU ms at 4×, first view",
    "CPU ms at 4×, later view",
    "long tasks (first / later / 4× first / 4× later)",
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
    "| **target (widget, issue 17)** | | **≤ 20,480** | **≤ 3,072** | **0** | | **≤ Plausible** | **≤ Plausible** | **≤ Plausible** | **≤ Plausible** | **0 / 0 / 0 / 0** beyond the page alone |",
  ];
  for (const tool of tools) {
    const f = peerFigures(results.get(tool.id));
    const page = tool.id === "none";
    const times = page ? () => "" : ratio;
    lines.push(
      `| ${tool.label} | ${f.files} | ${fmt(f.bytes)}${times(f.bytes, base.bytes)} | ${fmt(f.beforeIdle)}${times(f.beforeIdle, base.beforeIdle)} | ${fmt(f.laterBytes)} | ${f.requests}${times(f.requests, base.requests)} | ` +
        (page ? `${CONDITIONS.map((c) => `${fmt(quantile(results.get("none").views[c.name].map((v) => v.cpuMs), 0.5), 1)} (whole page)`).join(" | ")}` : CONDITIONS.map((c) => cpuCell(f, c.name)).join(" | ")) +
        ` | ${f.longTasks.join(" / ")} |`,
    );
  }
  lines.push(
    "",
    `CPU: renderer main-thread task CPU time (CDP \`TaskDuration\`, \`timeDomain: threadTicks\`) from navigation until the page is quiet, minus the page alone in the same round; median [interquartile range] of ${runs} rounds alternating the tools' order; (×) the ratio to Plausible's. Bytes: response bodies as sent (brotli -q 11). Requests: files and hits of a 5-page session (one help-center landing, four link clicks, then leaving). Long tasks: median per view, the page alone included.`,
  );
  return lines.join("\n");
}
