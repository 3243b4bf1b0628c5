// Bundles the drop-in widget into pkg/ next to the Wasm: pkg/widget.js (the
// loader, a classic script) and pkg/widget-runtime.js (an ES module with the
// engine's JS glue, loaded lazily by the loader). Prints the SRI hash of the
// loader for `<script integrity>`.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const common = { bundle: true, minify: true, legalComments: "none", absWorkingDir: root, logLevel: "warning" };

await build({ ...common, entryPoints: ["www/widget/loader.js"], format: "iife", target: "es2019", outfile: "pkg/widget.js" });
await build({
  ...common,
  entryPoints: ["www/widget/runtime/index.js"],
  format: "esm",
  target: "es2020",
  alias: { "support-kpi": "./pkg/support_kpi.js" },
  outfile: "pkg/widget-runtime.js",
});

const integrity = createHash("sha384").update(readFileSync(`${root}/pkg/widget.js`)).digest("base64");
console.log(`pkg/widget.js integrity="sha384-${integrity}"`);
