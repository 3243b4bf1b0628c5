// Size budget of the built module: sizes are deterministic, so this is a test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { sizeTable } from "../../scripts/sizes.mjs";

const pkg = (name) => fileURLToPath(new URL(`../../pkg/${name}`, import.meta.url));

test("Wasm + JS glue stay within 40 KB brotli", () => {
  const rows = sizeTable([pkg("support_kpi_bg.wasm"), pkg("support_kpi.js")]);
  const total = rows.at(-1).brotli;
  assert.ok(total <= 40 * 1024, `pkg/*_bg.wasm + glue are ${total} B brotli, budget 40960 B`);
});
