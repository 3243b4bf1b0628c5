// Collector scale-out: the load generator's highest rate with p99 < 20 ms
// (its search runs a step that fails once again) against one SQLite
// instance, one PostgreSQL instance, and two PostgreSQL instances on the
// same database (new connections alternate between them,
// as a load balancer spreads them), in one run. Generator, collectors and
// the PostgreSQL server all share this machine's cores. Needs the server
// profile binaries and SUPPORT_KPI_TEST_PG (scripts/bench.sh provides both;
// `bash scripts/postgres.sh node bench/scale.mjs` runs this part alone).
// The rate steps up from SCALE_START_RATE by SCALE_STEP (default 1,000 and
// 1,000 reports/s; lower them on a machine busy with other work).
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startCollector } from "../tests/e2e/lib/collector.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ORIGIN = "https://help.acme.example";
const SITES = [{ key: "acme-help", origins: [ORIGIN] }];
const fmt = (n) => n.toLocaleString("en", { maximumFractionDigits: 0 });

/** The highest sustained rate (p99 < 20 ms, no errors) across the instances at `addrs`. */
function findMax(addrs) {
  const args = addrs.flatMap((addr) => ["--addr", addr]);
  const [start, step] = [process.env.SCALE_START_RATE ?? "1000", process.env.SCALE_STEP ?? "1000"];
  args.push("--site", "acme-help", "--origin", ORIGIN, "--find-max", "--start-rate", start, "--step", step, "--duration", "5");
  const run = spawnSync(join(ROOT, "target/server/support-kpi-loadgen"), args, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`support-kpi-loadgen failed:\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop());
}

/** Runs the three set-ups; calls `row(figure, measured, target, pass)` for each. */
export async function scaleOut(row) {
  const postgres = process.env.SUPPORT_KPI_TEST_PG;
  if (!postgres) throw new Error("SUPPORT_KPI_TEST_PG is not set: run through scripts/bench.sh, which starts PostgreSQL");
  const setups = [
    ["one SQLite instance", [undefined]],
    ["one PostgreSQL instance", [postgres]],
    ["two PostgreSQL instances, one database", [postgres, postgres]],
  ];
  const rates = [];
  for (const [label, dbs] of setups) {
    const servers = [];
    try {
      for (const db of dbs) servers.push(await startCollector({ sites: SITES, binary: join(ROOT, "target/server/support-kpi-collector"), db }));
      const result = findMax(servers.map((server) => new URL(server.url).host));
      rates.push(result.max_sustainable_rate);
      const measured = `${fmt(result.max_sustainable_rate)} reports/s, p99 ${result.p99_ms?.toFixed(1) ?? "-"} ms`;
      const [target, pass] = rates.length === 3 ? [">= one SQLite instance", rates[2] > 0 && rates[2] >= rates[0]] : ["", null];
      row(`collector scale-out: ${label} (${availableParallelism()} shared cores)`, measured, target, pass);
    } finally {
      for (const server of servers) await server.close();
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await scaleOut((figure, measured, target, pass) => console.log([figure, measured, target, pass === null ? "" : pass ? "pass" : "FAIL"].join(" | ")));
}
