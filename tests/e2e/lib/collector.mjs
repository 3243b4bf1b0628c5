// The real collector binary for end-to-end tests: started on a free port
// with a temporary database, serving the widget and the fixture site.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { until } from "./page.mjs";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
/** The debug build that `cargo test` leaves behind. */
const DEBUG_BINARY = join(ROOT, "target/debug/support-kpi-collector");

/** The read token of test collectors. */
export const TOKEN = "e2e-read-token-0123456789";

/** A free TCP port on 127.0.0.1. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A collector for `sites` (each `{ key, origins?, timeZone? }`; origins
 * default to the collector's own). `mounts` are extra `--mount` flags;
 * `binary` the collector executable (default: the debug build); `db` its
 * `--db` (default: a SQLite file in a temporary directory).
 * Returns `{ url, start, stop, kill, api, post, close }`: stop/kill/start
 * restart it on the same port and database.
 */
export async function startCollector({ sites, mounts = [], binary = DEBUG_BINARY, db }) {
  const dir = mkdtempSync(join(tmpdir(), "support-kpi-collector-"));
  const store = db ?? join(dir, "kpi.db");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, "sites.json"), JSON.stringify(sites.map((site) => ({ origins: [url], ...site }))));
  let child = null;
  const collector = {
    url,
    async start() {
      const args = ["serve", "--listen", `127.0.0.1:${port}`, "--db", store, "--sites", join(dir, "sites.json")];
      for (const mount of mounts) args.push("--mount", mount);
      child = spawn(binary, args, { cwd: ROOT, env: { ...process.env, SUPPORT_KPI_READ_TOKEN: TOKEN }, stdio: ["ignore", "ignore", "inherit"] });
      await until(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), "the collector", 15_000);
    },
    /** Stops it with `signal` and waits until the port is closed. */
    async stop(signal = "SIGTERM") {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      await exited;
    },
    /** GET of the read API. */
    api: (path) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }).then((r) => r.json()),
    /** POST of a report body as the widget sends it. */
    post: (body, origin = url) =>
      fetch(`${url}/api/report`, { method: "POST", body, headers: { "content-type": "text/plain", origin } }),
    async close() {
      if (child && child.exitCode === null) await collector.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await collector.start();
  return collector;
}
