// The page side of the browser fixtures: runs the scenario with the module the
// bundler built and writes the result (or the error) into <output id="result">.
import { scenario } from "./scenario.js";

/** Initialises `kpi` with `init()` and shows what the scenario returned. */
export function show(kpi, init) {
  const output = document.getElementById("result");
  init()
    .then(() => (output.value = JSON.stringify({ ok: scenario(kpi) })))
    .catch((error) => (output.value = JSON.stringify({ error: String(error) })));
}
