// A server-side render, built with `vite build --ssr`: a page that shows
// KPIs, rendered in Node where there is no window or document.
import { readFileSync } from "node:fs";
import * as kpi from "support-kpi";
import { scenario } from "../scenario.js";

let ready = false;

/** The page's HTML; loads the Wasm on first use. */
export function render() {
  if (!ready) {
    kpi.initSync({ module: readFileSync(new URL(import.meta.resolve("support-kpi/support_kpi_bg.wasm"))) });
    ready = true;
  }
  const result = scenario(kpi);
  return `<dl><dt>First response</dt><dd>${result.firstResponseSeconds} s</dd>` +
    `<dt>Chat engagement</dt><dd>${result.chatEngagementRatio.num} / ${result.chatEngagementRatio.den}</dd></dl>` +
    `<script type="application/json" id="kpis">${JSON.stringify(result)}</script>`;
}
