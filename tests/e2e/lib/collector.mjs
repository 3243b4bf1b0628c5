// The real collector binary for end-to-end tests: started on a free port
// with a temporary database, serving the widget and the fixture site.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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

/** libfaketime (Debian's `faketime` package), which moves a process's wall clock. */
function faketimeLibrary() {
  const dirs = readdirSync("/usr/lib").map((dir) => join("/usr/lib", dir, "faketime/libfaketimeMT.so.1"));
  const found = dirs.find((path) => existsSync(path));
  if (!found) throw new Error("libfaketime is missing: scripts/setup.sh installs Debian's faketime package");
  return found;
}

/**
 * The environment that starts a process's wall clock at `now` (ms) and lets
 * it run from there; timers (the monotonic clock) are left alone.
 */
export function clockAt(now) {
  const stamp = new Date(now).toISOString().replace("T", " ").replace(/\.\d+Z$/, "");
  return { LD_PRELOAD: faketimeLibrary(), FAKETIME: `@${stamp}`, FAKETIME_DONT_FAKE_MONOTONIC: "1", TZ: "UTC" };
}

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
 * `--db` (default: a SQLite file in a temporary directory); `now` (ms)
 * starts the collector's wall clock there instead of at the real time.
 * Returns `{ url, start, stop, kill, api, post, close }`: stop/kill/start
 * restart it on the same port and database.
 */
export async function startCollector({ sites, mounts = [], binary = DEBUG_BINARY, db, now }) {
  const dir = mkdtempSync(join(tmpdir(), "support-kpi-collector-"));
  const store = db ?? join(dir, "kpi.db");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, "sites.json"), JSON.stringify(sites.map((site) => ({ origins: [url], ...site }))));
  let child = null;
  // Every start continues the same moved clock, as a restarted machine's would.
  const offset = now === undefined ? null : now - Date.now();
  const collector = {
    url,
    async start() {
      const args = ["serve", "--listen", `127.0.0.1:${port}`, "--db", store, "--sites", join(dir, "sites.json")];
      for (const mount of mounts) args.push("--mount", mount);
      child = spawn(binary, args, { cwd: ROOT, env: { ...process.env, SUPPORT_KPI_READ_TOKEN: TOKEN, ...(offset === null ? {} : clockAt(Date.now() + offset)) }, stdio: ["ignore", "ignore", "inherit"] });
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
