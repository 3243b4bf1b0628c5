// Writes pkg/package.json so that pkg/ is an npm package: `import init,
// { KpiEngine } from "support-kpi"`, with the TypeScript types listed first.
import { readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "(.*)"`, "m"))[1];

const manifest = {
  name: "support-kpi",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  type: "module",
  exports: {
    ".": { types: "./support_kpi.d.ts", default: "./support_kpi.js" },
    "./support_kpi_bg.wasm": "./support_kpi_bg.wasm",
  },
  types: "./support_kpi.d.ts",
  files: ["support_kpi.js", "support_kpi.d.ts", "support_kpi_bg.wasm", "support_kpi_bg.wasm.d.ts", "snippets/", "widget*"],
  sideEffects: false,
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), JSON.stringify(manifest, null, 2) + "\n");
