// The systemd unit of README "Deploying" (deploy/support-kpi-collector.service):
// systemd accepts it, and its command line and environment file, moved into
// a temporary directory, start a collector in that directory (nothing of the
// repository beside it) that serves the API, the dashboard, the widget and the
// chart library built into it, and that reloads the sites file on the unit's
// ExecReload signal.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./lib/collector.mjs";
import { until } from "./lib/page.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const UNIT = readFileSync(join(ROOT, "deploy/support-kpi-collector.service"), "utf8");
const BINARY = join(ROOT, "target/debug/support-kpi-collector");
const INSTALLED = "/usr/local/bin/support-kpi-collector";
const TOKEN = "deploy-test-token-0123456789";
let dir;

/** The value of `key=` in the unit (the first one). */
const setting = (key) => UNIT.match(new RegExp(`^${key}=(.*)$`, "m"))[1];

before(() => {
  dir = mkdtempSync(join(tmpdir(), "support-kpi-deploy-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// scripts/setup.sh installs it; only outside CI may the check be skipped.
const hasSystemd = spawnSync("systemd-analyze", ["--version"]).status === 0;

test("systemd-analyze verify accepts the unit", { skip: !hasSystemd && process.env.CI !== "true" && "no systemd-analyze" }, () => {
  const unit = join(dir, "support-kpi-collector.service");
  writeFileSync(unit, UNIT.replaceAll(INSTALLED, BINARY));
  const result = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
  assert.equal(result.stderr, "");
  assert.equal(result.status, 0);
});

test("the unit's command line starts a collector serving the API, the dashboard and the widget", async () => {
  const port = await freePort();
  const moved = (text) =>
    text.replaceAll(INSTALLED, BINARY).replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`).replaceAll("/var/lib/support-kpi", join(dir, "state")).replaceAll("/etc/support-kpi", join(dir, "etc"));
  mkdirSync(join(dir, "state"));
  mkdirSync(join(dir, "etc"));
  const origin = "https://help.acme.example";
  writeFileSync(join(dir, "etc/sites.json"), JSON.stringify([{ key: "acme-help", origins: [origin], timeZone: "Europe/Amsterdam", serviceLevelSeconds: 60 }]));
  writeFileSync(moved(setting("EnvironmentFile")), `SUPPORT_KPI_READ_TOKEN=${TOKEN}\n`);
  const [binary, ...args] = moved(setting("ExecStart")).split(/\s+/);
  const env = Object.fromEntries(readFileSync(moved(setting("EnvironmentFile")), "utf8").trim().split("\n").map((line) => line.split("=")));
  assert.doesNotMatch(UNIT, /^WorkingDirectory=/m, "the binary needs no files beside it");
  assert.equal(setting("ExecReload"), "/bin/kill -HUP $MAINPID");
  const child = spawn(binary, args, { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    const url = `http://127.0.0.1:${port}`;
    await until(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), "the collector");
    for (const path of ["/dashboard/", "/support-kpi/widget.js", "/vendor/echarts.min.js"]) {
      assert.equal((await fetch(`${url}${path}`)).status, 200, path);
    }
    const sites = await fetch(`${url}/api/sites`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(sites.status, 200);
    assert.match(await sites.text(), /acme-help/);
    assert.equal((await fetch(`${url}/api/sites`)).status, 401, "the read API needs the token");
    writeFileSync(join(dir, "etc/sites.json"), JSON.stringify([{ key: "acme-shop", origins: [origin] }]));
    process.kill(child.pid, "SIGHUP");
    await until(() => stderr.includes("sites reloaded"), "the reload");
    const reloaded = await fetch(`${url}/api/sites`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.match(await reloaded.text(), /acme-shop/);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  assert.ok(existsSync(join(dir, "state/support-kpi.db")), "the database is in the unit's StateDirectory");
});
