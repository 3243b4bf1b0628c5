// The page's Crisp callbacks, for the events the Crisp adapter uses. Crisp
// keeps ONE callback per event: `["on", event, cb]` replaces the previous one
// and `["off", event]` (no callback) removes it, and nothing reads a callback
// back. So the widget records the page's "on"/"off" of those events from the
// moment `watchCrisp` first runs — in the `$crisp` queue array of the
// snippet, in its `push`, and in the `push` of the live `$crisp` object Crisp
// installs when it loads — and, once the adapter owns the slots, keeps them
// from Crisp and calls the page's callback from its own.
//
// Called by the loader as soon as it runs (so callbacks queued before Crisp
// loaded are known even when Crisp loads before the widget starts) and by the
// adapter when it attaches. Only what was pushed after the first call, or
// was still queued in the array then, can be known: a callback the page gave
// Crisp's loaded chatbox before the widget's loader ran is replaced.
import { hold } from "./hooks.js";

const RECORD = Symbol.for("support-kpi.crisp-callbacks");

/**
 * The record for `w`, created and watching on the first call:
 * `page[event]` is the page's callback of the moment, `ours` holds the adapter's callbacks (passed on, never recorded)
 * and `owned` the events whose slot holds the adapter's callback: the page's
 * "on"/"off" of those no longer reach Crisp.
 */
export function watchCrisp(w) {
  if (w[RECORD]) return w[RECORD];
  const current = w.$crisp;
  const record = { page: {}, ours: new WeakSet(), owned: new Set() };
  Object.defineProperty(w, RECORD, { value: record });

  /** Records a page's "on"/"off"; true when `item` must not reach Crisp. */
  const take = (item) => {
    const [verb, event, callback] = Array.isArray(item) ? item : [];
    if ((verb !== "on" && verb !== "off") || typeof event !== "string" || record.ours.has(callback)) return false;
    record.page[event] = verb === "on" ? callback : undefined;
    return record.owned.has(event);
  };
  if (Array.isArray(current)) current.forEach(take);

  const wrappers = new WeakSet();
  const wrapPush = (push) => {
    if (typeof push !== "function" || wrappers.has(push)) return push;
    const wrapper = function (...items) {
      const rest = items.filter((item) => !take(item));
      return rest.length ? push.apply(this, rest) : undefined;
    };
    wrappers.add(wrapper);
    return wrapper;
  };
  hold(w, "$crisp", (value) => {
    if (value && typeof value === "object") hold(value, "push", wrapPush);
    return value;
  });
  return record;
}
