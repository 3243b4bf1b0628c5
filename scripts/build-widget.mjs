// Bundles the drop-in widget into pkg/. Every file but the loader is named
// after its content (`-HASH`), so it may be cached for good:
// - widget.js: the loader, a classic script (the one file a page includes);
// - widget-runtime-HASH.js: the runtime with the widget engine's JS glue, an
//   ES module the loader imports when the page is idle;
// - widget-engine-HASH.wasm: the widget engine (without the KPI side);
// - widget-adapter-<vendor>-HASH.js (and a shared chunk): one per chat
//   vendor, loaded only when that vendor is on the page;
// - widget-kpis-HASH.js + widget-kpis-HASH.wasm: the full engine, loaded only
//   when a page asks for live KPIs (`onKpis`).
// - widget-files-HASH.json: the manifest, integrity hashes of the files only
//   some pages load (adapters, live KPIs).
// - widget-zone-NAME-HASH.json: one per IANA time zone, its UTC offsets over
//   a span of years (scripts/zone-tables.mjs, www/widget/zone-file.js names
//   them); the loader fetches the site's. They share one hash, of all tables,
//   which the loader carries (ZONES): data, checked by the runtime, not
//   integrity-hashed one by one.
// The loader carries the integrity hashes of the runtime and of the engine
// (it compiles the engine while the runtime loads), the runtime that of the
// manifest (MANIFEST_FILE), so a loader included with `integrity` checks
// all code it runs. Prints the loader's own integrity hash.
import { build } from "esbuild";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";
import { zoneFile } from "../www/widget/zone-file.js";
import { zoneTables } from "./zone-tables.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = (name) => `${root}/pkg/${name}`;
for (const name of readdirSync(pkg(""))) if (name.startsWith("widget")) rmSync(pkg(name));
const common = { bundle: true, minify: true, legalComments: "none", absWorkingDir: root, logLevel: "warning" };

/** The integrity value of `bytes` (SRI, SHA-256). */
const integrity = (bytes) => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
/** `[file name, integrity]` of an output of esbuild. */
const described = (file) => [basename(file.path), integrity(file.contents)];

/**
 * `code` minified once more by terser, after esbuild: about 5% fewer brotli
 * bytes for the runtime and the loader (README "Sizes and budgets"). Only
 * the V8 compile-hint comment is kept; `module`: `code` is an ES module.
 */
async function squeeze(code, { module }) {
  const { code: squeezed } = await minify(code, { module, compress: { passes: 2 }, format: { comments: /^# allFunctionsCalledOnLoad$/ } });
  return Buffer.from(squeezed);
}

/** The hash of `bytes` as esbuild names chunks after their content (8 base32 characters). */
function contentHash(bytes) {
  const digest = createHash("sha256").update(bytes).digest();
  let bits = "";
  for (const byte of digest.subarray(0, 5)) bits += byte.toString(2).padStart(8, "0");
  return bits.match(/.{5}/g).map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[parseInt(b, 2)]).join("");
}

/** Writes `bytes` as `stem-HASH.ext`, named after its content. */
function writeHashed(bytes, stem, ext) {
  const name = `${stem}-${contentHash(bytes)}.${ext}`;
  writeFileSync(pkg(name), bytes);
  return [name, integrity(bytes)];
}

const hashedWasm = (from, stem) => writeHashed(readFileSync(`${root}/${from}`), stem, "wasm");
// The widget engine as scripts/build.sh left it (wasm-opt -Oz).
const engine = hashedWasm("target/widget/widget_bg.wasm", "widget-engine");
/** The manifest: files only some pages load. */
const files = { kpisWasm: hashedWasm("pkg/support_kpi_bg.wasm", "widget-kpis") };

const kpis = await build({
  ...common,
  entryPoints: { "widget-kpis": "pkg/support_kpi.js" },
  format: "esm",
  target: "es2020",
  outdir: "pkg",
  write: false,
});
files.kpis = writeHashed(await squeeze(kpis.outputFiles[0].text, { module: true }), "widget-kpis", "js");

/**
 * The runtime and its adapter chunks. The chunks never import the runtime
 * entry, so their names and contents do not depend on the hash the runtime
 * carries (MANIFEST_FILE): a first pass finds them, the second builds the
 * runtime that lists them.
 */
const runtime = (manifestFile) =>
  build({
    ...common,
    entryPoints: { "widget-runtime": "www/widget/runtime/index.js" },
    entryNames: "[name]-[hash]",
    format: "esm",
    target: "es2020",
    splitting: true,
    chunkNames: "widget-adapter-[name]-[hash]",
    alias: { "support-kpi": "./target/widget/glue/widget.js" },
    // Chromium compiles every function of the runtime eagerly (V8 explicit
    // compile hints), off the main thread where it can: they all run at start.
    banner: { js: "//# allFunctionsCalledOnLoad" },
    // Strings ("name integrity"): an object or array would become a chunk of its own.
    define: { MANIFEST_FILE: JSON.stringify(manifestFile.join(" ")) },
    outdir: "pkg",
    metafile: true,
    write: false,
  });
const first = await runtime(["", ""]);
const outputs = first.metafile.outputs;
const chunks = new Map(first.outputFiles.map((file) => [`pkg/${basename(file.path)}`, file]));
/** A chunk and every chunk it imports, each as `[name, integrity]`. */
const withImports = (path) => [described(chunks.get(path)), ...outputs[path].imports.filter((i) => i.kind === "import-statement").flatMap((i) => withImports(i.path))];
let entry = null;
for (const [path, output] of Object.entries(outputs)) {
  const adapter = /^www\/widget\/adapters\/(\w+)\.js$/.exec(output.entryPoint ?? "");
  if (adapter) files[`adapter:${adapter[1]}`] = withImports(path);
  else if (output.entryPoint === "www/widget/runtime/index.js") entry = output;
}
assert.ok(entry, "the runtime entry was built");
// The loader verifies the runtime alone: the runtime must not import a chunk statically.
assert.deepEqual(entry.imports.filter((i) => i.kind === "import-statement"), [], "the runtime imports no chunk statically");

const manifest = writeHashed(Buffer.from(JSON.stringify(files)), "widget-files", "json");
const second = await runtime(manifest);
const isEntry = (file) => basename(file.path).startsWith("widget-runtime-");
// The adapter chunks as esbuild named them (the chunks import each other by
// those names); the runtime, which nothing imports, squeezed and named after
// what is written.
for (const file of second.outputFiles) if (!isEntry(file)) writeFileSync(file.path, file.contents);
const built = second.outputFiles.map(described);
for (const [key, value] of Object.entries(files)) {
  if (key.startsWith("adapter:")) for (const chunk of value) assert.ok(built.some((b) => b[0] === chunk[0] && b[1] === chunk[1]), `${chunk[0]} is unchanged`);
}
const runtimeFile = writeHashed(await squeeze(second.outputFiles.find(isEntry).text, { module: true }), "widget-runtime", "js");

// The time-zone tables, from January of last year to January six years on:
// whole years, so their contents, and the one hash all their names carry,
// change only with the year or Node's tz data.
const year = new Date().getUTCFullYear();
const tables = zoneTables(root, { from: Date.UTC(year - 1, 0, 1), until: Date.UTC(year + 6, 0, 1), keep: (zone) => zoneFile(zone, "") !== null });
const zoneTexts = [...tables].map(([zone, table]) => [zone, JSON.stringify({ zone, ...table })]);
const zonesHash = contentHash(JSON.stringify(zoneTexts));
for (const [zone, text] of zoneTexts) writeFileSync(pkg(zoneFile(zone, zonesHash)), text);

const loader = await build({
  ...common,
  entryPoints: ["www/widget/loader.js"],
  // As for the runtime: the loader's functions all run on the page's first idle.
  banner: { js: "//# allFunctionsCalledOnLoad" },
  format: "iife",
  target: "es2019",
  define: { RUNTIME: JSON.stringify(runtimeFile), ENGINE: JSON.stringify(engine), ZONES: JSON.stringify(zonesHash) },
  write: false,
});
writeFileSync(pkg("widget.js"), await squeeze(loader.outputFiles[0].text, { module: false }));

const loaderIntegrity = createHash("sha384").update(readFileSync(pkg("widget.js"))).digest("base64");
console.log(`pkg/widget.js integrity="sha384-${loaderIntegrity}"`);
