// The widget's long tasks at 4× CPU throttling, named: a Chromium trace of
// the help article per view (first and later, `RUNS` pairs, default 3)
// lists every task of the page's main thread over 50 ms of wall time with
// the largest events inside it (for the loader's idle callback, every event
// over 1.5 ms in order, with its offset). The page alone has its own (the
// document's parsing and layout): `node bench/peers/long-tasks.mjs --alone`
// lists those. Run after `bash scripts/build.sh`.
import { launch } from "../../tests/e2e/lib/browser.mjs";
import { ARTICLE, TRACE_CATEGORIES, articleMainThread, initScript, settled } from "./measure.mjs";
import { startPeerSite } from "./site.mjs";
import { peerTools } from "./tools.mjs";

const RUNS = Number(process.env.RUNS ?? 3);
const LONG_US = 50_000;
const tool = (await peerTools()).find((t) => t.id === (process.argv.includes("--alone") ? "none" : "widget"));

/** One line per long task of the page's main thread in `events`. */
function longTasks(events) {
  const main = articleMainThread(events);
  return main
    .filter((e) => e.name === "RunTask" && e.dur > LONG_US)
    .map((task) => {
      const within = main.filter((e) => e !== task && e.name !== "RunTask" && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
      const idle = within.some((e) => e.name === "FireIdleCallback");
      const shown = idle ? within.filter((e) => e.dur > 1500).sort((a, b) => a.ts - b.ts) : within.sort((a, b) => b.dur - a.dur).slice(0, 6);
      const label = (e) => {
        const url = e.args?.data?.url ? ` ${e.args.data.url.split("/").pop()}` : "";
        const at = idle ? `@${((e.ts - task.ts) / 1000).toFixed(0)} ` : "";
        return `${at}${e.name}${url} ${(e.dur / 1000).toFixed(0)}`;
      };
      return `task ${(task.dur / 1000).toFixed(0)} ms: ${shown.map(label).join(" | ")}`;
    });
}

const site = await startPeerSite(tool);
const browser = await launch();
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext();
    await context.addInitScript(initScript(tool));
    for (const view of ["first", "later"]) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await settled(page, site, () => page.goto(site.url + ARTICLE));
      const trace = JSON.parse((await browser.stopTracing()).toString("utf8"));
      for (const line of longTasks(trace.traceEvents ?? trace)) console.log(`${view} view, run ${run + 1}: ${line}`);
      await page.goto("about:blank");
      await page.close();
    }
    await context.close();
  }
} finally {
  await browser.close();
  await site.close();
}
