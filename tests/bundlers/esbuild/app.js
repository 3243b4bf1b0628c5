// The esbuild fixture's entry: esbuild leaves new URL(…, import.meta.url)
// alone, so the Wasm is imported through the package's export and copied
// next to the bundle by the `file` loader (--loader:.wasm=file), which gives
// its path relative to the bundle.
import * as kpi from "support-kpi";
import wasmUrl from "support-kpi/support_kpi_bg.wasm";
import { show } from "../browser.js";

show(kpi, () => kpi.default({ module_or_path: new URL(wasmUrl, import.meta.url) }));
