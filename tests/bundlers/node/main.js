// Node (ESM): the package imported by name, its Wasm found through the
// package's `./support_kpi_bg.wasm` export and loaded with initSync.
import { readFileSync } from "node:fs";
import * as kpi from "support-kpi";
import { scenario } from "../scenario.js";

kpi.initSync({ module: readFileSync(new URL(import.meta.resolve("support-kpi/support_kpi_bg.wasm"))) });
console.log(JSON.stringify(scenario(kpi)));
