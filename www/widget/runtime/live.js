// `supportKpi('onKpis', callback)`: live KPIs for a team's own panel. Callbacks
// get the KPI object at once and after changes, at most every 500 ms.

const THROTTLE_MS = 500;

/** Subscriptions to `kpis()`; `changed()` schedules a notification. */
export function createLiveKpis(kpis, warn) {
  const callbacks = [];
  let timer = 0;
  const notify = (list) => {
    const value = kpis();
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
