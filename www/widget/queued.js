// The calls a page queues before the widget started (`supportKpi(…)` on the
// loader's stub), read the one way both the loader and the runtime need.

/**
 * The `given` of the last `supportKpi('consent', given)` among `calls`
 * (arrays or `arguments` objects), or undefined when there is none. Throws
 * when a call cannot be read; callers decide what that means.
 */
export function lastConsent(calls) {
  for (let i = calls.length - 1; i >= 0; i--) if (calls[i][0] === "consent") return calls[i][1];
}
