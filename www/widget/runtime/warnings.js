// Console output of the widget: each distinct message once, and few in all,
// so a misconfigured page gets clear feedback without a flood.

const MAX_MESSAGES = 10;

/** A `warn(message)` that prints each message once, at most ten in all. */
export function createWarn() {
  const seen = new Set();
  return (message) => {
    if (seen.has(message) || seen.size >= MAX_MESSAGES) return;
    seen.add(message);
    try {
      console.warn(`[support-kpi] ${message}`);
    } catch {
      // No console: nothing to do.
    }
  };
}
