// The entry of the Vite and webpack fixtures: the package as a user imports
// it, with init() finding the Wasm next to the glue (new URL(…, import.meta.url)).
import * as kpi from "support-kpi";
import { show } from "./browser.js";

show(kpi, () => kpi.default());
