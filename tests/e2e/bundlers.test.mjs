// The npm package in real projects: `npm pack pkg/`, installed with npm into
// a throwaway project (tests/bundlers/ copied to a temporary directory, its
// tool versions pinned by its own lockfile), then built and run as users
// would: Vite, webpack and esbuild bundles in headless Chromium, Node (ESM),
// a strict `tsc --noEmit`, and a server-side render (Vite SSR build) in Node
// with the browser globals trapped. Every run checks the KPIs the installed
// package computed, not only that a build succeeded.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { launch } from "./lib/browser.mjs";
import { startServer } from "./lib/server.mjs";
import { EXPECTED } from "../bundlers/scenario.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURES = join(ROOT, "tests/bundlers");
const run = promisify(execFile);
let dir, packed, server, browser;

/** Runs `command` in the throwaway project (or `cwd` below it); returns its stdout. */
async function inProject(command, args, cwd = ".") {
  const bin = join(dir, "node_modules/.bin", command);
  const file = existsSync(bin) ? bin : command;
  try {
    const { stdout } = await run(file, args, { cwd: join(dir, cwd), maxBuffer: 16 << 20 });
    return stdout;
  } catch (error) {
    throw new Error(`${command} ${args.join(" ")} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

before(async () => {
  assert.ok(existsSync(join(ROOT, "pkg/package.json")), "pkg/ is built (scripts/build.sh)");
  dir = mkdtempSync(join(tmpdir(), "support-kpi-bundlers-"));
  cpSync(FIXTURES, dir, { recursive: true, filter: (path) => !/\/(node_modules|dist)$/.test(path) });
  const [pack] = JSON.parse(await inProject("npm", ["pack", join(ROOT, "pkg"), "--json", "--pack-destination", dir]));
  packed = pack;
  // The package is added the way a user adds it; the tools come from the fixtures' lockfile.
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  manifest.dependencies = { "support-kpi": `file:./${pack.filename}` };
  writeFileSync(join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  await inProject("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"]);
  server = await startServer(dir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Loads `path` of the throwaway project in Chromium; returns the scenario's result and the Wasm requests. */
async function runInBrowser(path) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => message.type() === "error" && problems.push(`console: ${message.text()}`));
  const wasm = [];
  page.on("response", (response) => response.url().endsWith(".wasm") && wasm.push({ url: response.url(), status: response.status() }));
  await page.goto(`${server.url}/${path}`);
  await page.waitForFunction(() => document.getElementById("result")?.value !== "");
  const result = JSON.parse(await page.locator("#result").evaluate((output) => output.value));
  await page.close();
  return { result, wasm, problems };
}

/** Asserts a browser bundle computed the expected KPIs with the Wasm its bundler emitted below `dist`. */
function checkBrowserRun({ result, wasm, problems }, dist) {
  assert.deepEqual(result, { ok: EXPECTED });
  assert.deepEqual(problems, []);
  assert.equal(wasm.length, 1, "one Wasm module fetched");
  assert.ok(wasm[0].url.startsWith(`${server.url}/${dist}/`), `the Wasm comes from the bundle: ${wasm[0].url}`);
  assert.equal(wasm[0].status, 200);
}

test("the packed package is publish-ready and holds only the package's files", () => {
  const manifest = JSON.parse(readFileSync(join(dir, "node_modules/support-kpi/package.json"), "utf8"));
  for (const key of ["name", "version", "description", "license", "repository", "files", "sideEffects", "exports", "types"]) {
    assert.ok(key in manifest, `package.json has ${key}`);
  }
  assert.equal(manifest.name, "support-kpi");
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(Object.keys(manifest.exports["."]), ["types", "default"], "types first");
  const files = packed.files.map((file) => file.path).sort();
  const allowed = /^(package\.json|LICENSE-(MIT|APACHE)|support_kpi(\.js|\.d\.ts|_bg\.wasm|_bg\.wasm\.d\.ts)|snippets\/.+\.js|widget(\.js|-(runtime|engine|files|kpis|adapter-[a-z]+|zone-[\w.~+-]+)-[A-Z0-9]+\.(js|wasm|json)))$/;
  assert.deepEqual(files.filter((file) => !allowed.test(file)), [], "nothing but the package's files");
  for (const file of ["LICENSE-MIT", "LICENSE-APACHE", "support_kpi.js", "support_kpi.d.ts", "support_kpi_bg.wasm", "widget.js"]) {
    assert.ok(files.includes(file), `the package holds ${file}`);
  }
  for (const prefix of ["widget-runtime-", "widget-engine-", "widget-files-", "widget-kpis-", "widget-zone-Europe.Amsterdam-"]) {
    assert.ok(files.some((file) => file.startsWith(prefix)), `the package holds the widget's ${prefix}HASH file`);
  }
});

test("Vite: a production build runs in Chromium", async () => {
  await inProject("vite", ["build", "--base", "./", "--logLevel", "warn"], "vite");
  checkBrowserRun(await runInBrowser("vite/dist/index.html"), "vite/dist");
});

test("webpack: a production build runs in Chromium", async () => {
  await inProject("node", ["build.js"], "webpack");
  checkBrowserRun(await runInBrowser("webpack/index.html"), "webpack/dist");
});

test("esbuild: a bundle with the Wasm as a file runs in Chromium", async () => {
  await inProject("esbuild", ["app.js", "--bundle", "--format=esm", "--minify", "--loader:.wasm=file", "--outdir=dist", "--log-level=warning"], "esbuild");
  checkBrowserRun(await runInBrowser("esbuild/index.html"), "esbuild/dist");
});

test("Node (ESM): import by name, initSync with the exported Wasm", async () => {
  assert.deepEqual(JSON.parse(await inProject("node", ["main.js"], "node")), EXPECTED);
});

test("TypeScript: strict tsc --noEmit accepts typed use and rejects misuse", async () => {
  await inProject("tsc", ["--noEmit", "-p", "tsconfig.json"], "ts");
});

test("TypeScript: the Kpis and Report types have exactly the shape the engine outputs", async () => {
  // A real KPI object and report (every family counted) as typed literals:
  // a member the types lack is an excess property, one they require and the
  // engine leaves out is missing, a wrong kind of value does not assign.
  const kpi = await import(join(dir, "node_modules/support-kpi/support_kpi.js"));
  kpi.initSync({ module: readFileSync(join(dir, "node_modules/support-kpi/support_kpi_bg.wasm")) });
  const engine = new kpi.KpiEngine({ siteKey: "acme-help", timeZone: "Europe/Amsterdam", goals: ["purchase"], tags: ["complaint"] });
  const t = Date.UTC(2026, 10, 23, 9, 0);
  const events = [
    { type: "availability", online: true },
    { type: "page_view", support: true },
    { type: "chat_button_impression" },
    { type: "chat_started" },
    { type: "customer_message" },
    { type: "agent_message" },
    { type: "tag", name: "complaint" },
    { type: "chat_ended", resolved: true },
    { type: "survey", kind: "csat", score: 5 },
    { type: "survey", kind: "nps", score: 9 },
    { type: "survey", kind: "ces", score: 2 },
    { type: "conversion", goal: "purchase", value: 49.99 },
  ];
  events.forEach((event, i) => engine.track({ ...event, ts: t + i * 10_000 }));
  const report = engine.report();
  const kpis = kpi.kpisFromReport(report);
  assert.equal(kpis.prevention.counts.chatsEnded, 1, "the chat was counted");
  writeFileSync(
    join(dir, "ts/real-shapes.ts"),
    `import type { Kpis, Report } from "support-kpi";\n` +
      `export const kpis: Kpis = ${JSON.stringify(kpis)};\n` +
      `export const report: Report = ${JSON.stringify(report)};\n`,
  );
  const config = JSON.parse(readFileSync(join(dir, "ts/tsconfig.json"), "utf8"));
  writeFileSync(join(dir, "ts/tsconfig.shapes.json"), JSON.stringify({ ...config, files: ["real-shapes.ts"] }));
  await inProject("tsc", ["--noEmit", "-p", "tsconfig.shapes.json"], "ts");
});

test("server-side render (Vite SSR build, Node): no browser global touched", async () => {
  await inProject("vite", ["build", "--ssr", "entry-server.js", "--outDir", "dist", "--logLevel", "warn"], "ssr");
  const { touched, html } = JSON.parse(await inProject("node", ["server.js"], "ssr"));
  assert.deepEqual(touched, [], "window, document, self, navigator and location stay untouched");
  assert.match(html, /<dt>First response<\/dt><dd>30 s<\/dd>/);
  const kpis = JSON.parse(html.match(/<script type="application\/json" id="kpis">(.*)<\/script>/)[1]);
  assert.deepEqual(kpis, EXPECTED);
  assert.ok(readdirSync(join(dir, "ssr/dist")).includes("entry-server.js"));
});
