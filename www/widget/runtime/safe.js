// Whatever a page passes to `supportKpi(...)` — Symbols, proxies whose traps
// throw, objects without a prototype, getters that throw anything — must end
// in a warning, never in an exception in the page. These helpers describe
// and report such values without calling into them.

/** A short description of `value` for a warning; never converts or inspects an object. */
export function describe(value) {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  return `a ${typeof value}`;
}

/** The message of a thrown value (an Error's message, else its description). */
export function messageOf(error) {
  try {
    if (typeof error?.message === "string") return error.message;
  } catch {
    // A proxy or getter that throws: described below.
  }
  return describe(error);
}

/**
 * `handler` with every exception, and the rejection of a promise it returns,
 * turned into one warning starting with `label`.
 */
export function guard(handler, warn, label = "internal error") {
  const report = (error) => warn(`${label}: ${messageOf(error)}`);
  return (...args) => {
    try {
      const result = handler(...args);
      if (result instanceof Promise) result.catch(report);
      return result;
    } catch (error) {
      report(error);
    }
  };
}
