// Writes pkg/package.json so that pkg/ is a publishable npm package:
// `import init, { KpiEngine } from "support-kpi"`, TypeScript types listed
// first. Name, version, description, license, repository and keywords come
// from the crate's Cargo.toml (the one source of these facts).
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
/** A string field of Cargo.toml's [package] (the first table of the file). */
const field = (name) => {
  const found = cargo.match(new RegExp(`^${name} = "(.*)"`, "m"));
  if (!found) throw new Error(`Cargo.toml: [package] has no ${name}`);
  return found[1];
};
const keywords = JSON.parse(cargo.match(/^keywords = (\[.*\])$/m)[1]);

const manifest = {
  name: "support-kpi",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  repository: { type: "git", url: `git+${field("repository")}.git` },
  keywords,
  type: "module",
  main: "./support_kpi.js",
  types: "./support_kpi.d.ts",
  exports: {
    ".": { types: "./support_kpi.d.ts", default: "./support_kpi.js" },
    "./support_kpi_bg.wasm": "./support_kpi_bg.wasm",
    "./package.json": "./package.json",
  },
  // The engine (glue, Wasm, types, the glue's snippet) and the drop-in widget's
  // files, which a site serves from one directory (see the README); the
  // license texts of the dual license.
  files: ["LICENSE-MIT", "LICENSE-APACHE", "support_kpi.js", "support_kpi.d.ts", "support_kpi_bg.wasm", "support_kpi_bg.wasm.d.ts", "snippets/", "widget*"],
  // Importing the engine runs nothing but its own definitions; the widget's
  // scripts are loaded by <script> tags, not imported.
  sideEffects: false,
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), JSON.stringify(manifest, null, 2) + "\n");
for (const license of ["LICENSE-MIT", "LICENSE-APACHE"]) {
  copyFileSync(new URL(`../${license}`, import.meta.url), new URL(`../pkg/${license}`, import.meta.url));
}
