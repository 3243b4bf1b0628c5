// `supportKpi('onKpis', callback)`: live KPIs for a team's own panel. Callbacks
// get the KPI object at once and after changes, at most every 500 ms.
//
// The widget's own engine leaves the KPI writer out to stay small; the first
// subscription loads the full engine (pkg/widget-kpis-HASH.js and .wasm: the
// npm package's module bundled into one file, checked against its hash) and
// each notification restores it from the widget engine's state. A callback
// that throws, whatever it throws, costs one warning and stops no other.
import { preloadVerified, verifiedFetch } from "./files.js";
import { guard, messageOf } from "./safe.js";

const THROTTLE_MS = 500;

/**
 * Subscriptions to live KPIs. `state()` is the widget engine's saved state,
 * `config` its configuration, `baseUrl` where pkg/ is served.
 */
export function createLiveKpis({ state, config, baseUrl, warn }) {
  const callbacks = [];
  let timer = 0;
  let full = null;
  const load = async () => {
    const module = await import(await preloadVerified("kpis", baseUrl));
    await module.default({ module_or_path: await verifiedFetch("kpisWasm", baseUrl) });
    return module;
  };
  const kpis = async () => {
    full ??= load();
    const engine = (await full).KpiEngine.restore(config, state());
    try {
      return engine.kpis();
    } finally {
      engine.free();
    }
  };
  /** Calls each of `list` with the KPIs; never rejects. */
  const notify = async (list) => {
    let value;
    try {
      value = await kpis();
    } catch (error) {
      return warn(`live KPIs are unavailable: ${messageOf(error)}`);
    }
    for (const callback of list) guard(callback, warn, "an onKpis callback threw")(value);
  };
  return {
    /** Adds a callback and calls it with the current KPIs. */
    subscribe(callback) {
      if (typeof callback !== "function") return warn("supportKpi('onKpis', callback) needs a function");
      callbacks.push(callback);
      notify([callback]);
    },
    /** Notifies all callbacks soon. */
    changed() {
      if (timer || callbacks.length === 0) return;
      timer = setTimeout(() => {
        timer = 0;
        notify(callbacks);
      }, THROTTLE_MS);
    },
  };
}
