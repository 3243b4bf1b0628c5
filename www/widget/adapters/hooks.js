// Helpers shared by the adapters: handlers that never throw into the page,
// chaining for vendor APIs that keep one handler per event (so the page's own
// handler keeps running), and turning an unread count into agent messages.

/** `handler` with its exceptions swallowed: an odd vendor payload measures nothing instead of breaking the page. */
export function safe(handler) {
  return function (...args) {
    try {
      handler.apply(this, args);
    } catch {
      // Nothing to do: the page must never see an adapter fail.
    }
  };
}

/**
 * A function that calls `page()` (the page's handler of the moment, if it is
 * a function) and then `handler`, both with its own `this` and arguments. It
 * returns the page's result; the page's exceptions stay the page's, and
 * `handler` runs even then.
 */
export function after(page, handler) {
  const ours = safe(handler);
  return function (...args) {
    try {
      const own = page();
      return typeof own === "function" ? own.apply(this, args) : undefined;
    } finally {
      ours.apply(this, args);
    }
  };
}

/**
 * Keeps `obj[key]` equal to `wrap(value)` for whatever value anyone assigns
 * later, by turning the property into an accessor. Where it cannot (a
 * non-configurable property), wraps the current value once, if writable.
 */
export function hold(obj, key, wrap) {
  let value = wrap(obj[key]);
  try {
    Object.defineProperty(obj, key, {
      configurable: true,
      enumerable: true,
      get: () => value,
      set: (next) => {
        value = wrap(next);
      },
    });
  } catch {
    Reflect.set(obj, key, value);
  }
}

/**
 * Chains `handler` to a single-handler property such as `Tawk_API.onChatEnded`:
 * the page's function, assigned before or after, still runs first.
 */
export function chain(obj, key, handler) {
  let page;
  const both = after(() => page, handler);
  hold(obj, key, (value) => {
    if (value !== both) page = value;
    return both;
  });
}

/** A handler of unread counts that calls `onRise()` each time the count goes up (from 0 at first). */
export function rises(onRise) {
  let last = 0;
  return safe((count) => {
    if (typeof count !== "number") return;
    if (count > last) onRise();
    last = count;
  });
}
