// Ingest benchmark, run alike in Node and in Chromium: the Wasm engine
// (batched and single calls) against the plain-JS baseline on the same
// events, with their outputs checked equal, and Wasm linear memory after
// 10^3, 10^5 and 10^6 events.
import { JsEngine } from "./baseline.js";
import { BENCH_CONFIG, benchEvents } from "./events.js";

const BATCH = 1000;
const RELATIVE_ERROR = 1 / 128;

/** Milliseconds of the fastest of `runs` runs of `work()`. */
function bestMs(runs, work) {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    work();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function batches(events) {
  const out = [];
  for (let i = 0; i < events.length; i += BATCH) out.push(events.slice(i, i + BATCH));
  return out;
}

/** Differences between the Wasm engine's KPIs and the baseline's (empty when equal). */
function compare(wasm, js) {
  const problems = [];
  for (const [name, ratio] of Object.entries(js.engagement)) {
    const w = wasm.engagement[name];
    if (w.num !== ratio.num || w.den !== ratio.den) problems.push(`${name}: ${w.num}/${w.den} vs ${ratio.num}/${ratio.den}`);
  }
  const cov = wasm.availability.coverage;
  if (cov.num !== js.coverage.num || cov.den !== js.coverage.den) problems.push("coverage");
  const fw = wasm.speed.firstResponse;
  const fj = js.firstResponse;
  if (fw.count !== fj.count || Math.abs(fw.mean - fj.mean) > 1e-6 * fj.mean + 1e-6) problems.push(`firstResponse count/mean ${fw.count}/${fw.mean} vs ${fj.count}/${fj.mean}`);
  for (const q of ["p50", "p90", "p99"]) {
    if (Math.abs(fw[q] - fj[q]) > fj[q] * RELATIVE_ERROR + 1e-6) problems.push(`firstResponse.${q} ${fw[q]} vs ${fj[q]}`);
  }
  return problems;
}

/**
 * Runs the benchmark with an initialised engine module (`KpiEngine`) and its
 * Wasm memory. Returns plain data.
 */
export function runIngest({ KpiEngine, memory, events: count = 200_000, runs = 3 }) {
  const events = benchEvents(count);
  const split = batches(events);
  const perEvent = (ms, n) => (ms * 1e6) / n;
  const wasmBatchNs = perEvent(
    bestMs(runs, () => {
      const engine = new KpiEngine(BENCH_CONFIG);
      for (const batch of split) engine.trackBatch(batch);
      engine.free();
    }),
    events.length,
  );
  const single = events.slice(0, 50_000);
  const wasmSingleNs = perEvent(
    bestMs(runs, () => {
      const engine = new KpiEngine(BENCH_CONFIG);
      for (const event of single) engine.track(event);
      engine.free();
    }),
    single.length,
  );
  const jsNs = perEvent(
    bestMs(runs, () => {
      const engine = new JsEngine(BENCH_CONFIG);
      for (const batch of split) engine.trackBatch(batch);
    }),
    events.length,
  );

  const wasm = new KpiEngine(BENCH_CONFIG);
  const js = new JsEngine(BENCH_CONFIG);
  for (const batch of split) {
    wasm.trackBatch(batch);
    js.trackBatch(batch);
  }
  const mismatches = compare(wasm.kpis(), js.kpis());
  wasm.free();

  const memoryAfter = {};
  const engine = new KpiEngine(BENCH_CONFIG);
  const million = benchEvents(1_000_000, 7);
  let fed = 0;
  for (const mark of [1_000, 100_000, 1_000_000]) {
    for (; fed < mark; fed += BATCH) engine.trackBatch(million.slice(fed, fed + BATCH));
    memoryAfter[mark] = memory.buffer.byteLength;
  }
  engine.free();
  return { events: count, wasmBatchNs, wasmSingleNs, jsNs, mismatches, memoryAfter };
}
