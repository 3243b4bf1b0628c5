// `supportKpi('onKpis', callback)`: live KPIs for a team's own panel. Callbacks
// get the KPI object at once and after changes, at most every 500 ms.
//
// The widget's own engine leaves the KPI writer out to stay small; the first
// subscription loads the full engine module (pkg/support_kpi.js, the npm
// package) and each notification restores it from the widget engine's state.

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
    const module = await import(new URL("support_kpi.js", baseUrl).href);
    await module.default({ module_or_path: new URL("support_kpi_bg.wasm", baseUrl) });
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
  const notify = async (list) => {
    let value;
    try {
      value = await kpis();
    } catch (error) {
      return warn(`live KPIs are unavailable: ${error?.message ?? error}`);
    }
    for (const callback of list) {
      try {
        callback(value);
      } catch (error) {
        warn(`an onKpis callback threw: ${error?.message ?? error}`);
      }
    }
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
