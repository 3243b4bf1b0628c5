// Bundles the drop-in widget into pkg/ next to its Wasm (pkg/widget_bg.wasm):
// pkg/widget.js (the loader, a classic script), pkg/widget-runtime.js (an ES
// module with the widget engine's JS glue, loaded lazily by the loader) and
// one pkg/widget-adapter-<vendor>-<hash>.js chunk per chat vendor, loaded
// only when that vendor is on the page, and pkg/widget-zone.js, the worker
// that computes the site time zone's offsets (once per device and months).
// Prints the SRI hash of the loader.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = { bundle: true, minify: true, legalComments: "none", absWorkingDir: root, logLevel: "warning" };

await build({ ...common, entryPoints: ["www/widget/loader.js"], format: "iife", target: "es2019", outfile: "pkg/widget.js" });
await build({ ...common, entryPoints: ["www/widget/zone-worker.js"], format: "iife", target: "es2020", outfile: "pkg/widget-zone.js" });
await build({
  ...common,
  entryPoints: { "widget-runtime": "www/widget/runtime/index.js" },
  format: "esm",
  target: "es2020",
  splitting: true,
  chunkNames: "widget-adapter-[name]-[hash]",
  alias: { "support-kpi": "./target/widget/glue/widget.js" },
  outdir: "pkg",
});

const integrity = createHash("sha384").update(readFileSync(`${root}/pkg/widget.js`)).digest("base64");
console.log(`pkg/widget.js integrity="sha384-${integrity}"`);
