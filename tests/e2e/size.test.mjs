// Size budget of the built module: sizes are deterministic, so this is a test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sizeTable } from "../../scripts/sizes.mjs";

const dir = fileURLToPath(new URL("../../pkg/", import.meta.url));
const pkg = (name) => dir + name;
/** The one built file whose content-hashed name starts with `stem`. */
const hashed = (stem) => {
  const [name, ...more] = readdirSync(dir).filter((f) => f.startsWith(`${stem}-`));
  assert.ok(name && more.length === 0, `one pkg/${stem}-*`);
  return pkg(name);
};

/** The JS files wasm-bindgen copies beside the glue, which it imports (`pkg/snippets/…`). */
const snippets = () =>
  readdirSync(pkg("snippets"), { recursive: true })
    .filter((name) => name.endsWith(".js"))
    .map((name) => pkg(`snippets/${name}`));

test("Wasm + JS glue (with the snippets it imports) stay within 42 KB brotli", () => {
  const files = [pkg("support_kpi_bg.wasm"), pkg("support_kpi.js"), ...snippets()];
  assert.ok(files.length > 2, "the glue's snippets are measured");
  const total = sizeTable(files).at(-1).brotli;
  assert.ok(total <= 42 * 1024, `pkg/*_bg.wasm + glue + snippets are ${total} B brotli, budget 43008 B`);
});

// Issue 14 allows the widget's engine 27,003 B (1 % over its size before its
// refactor); issue 17 wants it far smaller, so the budget follows it down.
test("the widget's engine Wasm stays within 25 KB brotli", () => {
  const [engine] = sizeTable([hashed("widget-engine")]);
  assert.ok(engine.brotli <= 25 * 1024, `the widget engine is ${engine.brotli} B brotli, budget 25600 B`);
});

// Issue 17's budget for what a page downloads before its first idle is 3 KB:
// the loader alone (tests/e2e/widget-idle.test.mjs proves nothing else loads).
test("the loader stays within 2 KB brotli", () => {
  const [loader] = sizeTable([pkg("widget.js")]);
  assert.ok(loader.brotli <= 2 * 1024, `pkg/widget.js is ${loader.brotli} B brotli, budget 2048 B`);
});

// The product target is 20 KB for the whole widget; it is not met (README,
// "Sizes and budgets", says by how much and why). This ceiling keeps it from
// growing unnoticed while that stands.
test("the widget (loader + runtime + Wasm) stays under its 35.1 KB ceiling", () => {
  const rows = sizeTable([pkg("widget.js"), hashed("widget-runtime"), hashed("widget-engine")]);
  const total = rows.at(-1).brotli;
  assert.ok(total <= 35_904, `the widget is ${total} B brotli, ceiling 35904 B (target 20480 B)`);
});
