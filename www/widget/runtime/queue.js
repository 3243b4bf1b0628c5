// The calls a page made before the widget started (the loader's queue): read
// once, consent taken out (it decides the storage mode before anything is
// touched), the rest replayed in the order that loses nothing.

/**
 * Empties `queue` into arrays; a call that cannot be read is dropped with a
 * warning. Returns `{ calls, consent }`: the calls but consent, and the
 * last queued consent (undefined when none).
 */
export function takeQueued(queue, warn) {
  const all = queue.splice(0).flatMap((args) => {
    try {
      return [Array.from(args)];
    } catch {
      warn("a queued supportKpi call could not be read; it is dropped");
      return [];
    }
  });
  const isConsent = (args) => args[0] === "consent";
  return { calls: all.filter((args) => !isConsent(args)), consent: all.filter(isConsent).at(-1)?.[1] };
}

/**
 * `calls` in replay order. Listeners the page registered before the widget
 * started see every event, so they come first. Availability a chat vendor
 * reported while the page loaded describes this page view, so it comes
 * before the queued page view. Everything else keeps its order.
 */
export function replayOrder(calls) {
  const isListener = (args) => args[0] === "onEvent" || args[0] === "onKpis";
  const isAvailability = (args) => args[0] === "chat" && (args[1] === "online" || args[1] === "offline");
  const rank = (args) => (isListener(args) ? 0 : isAvailability(args) ? 1 : 2);
  return [...calls].sort((a, b) => rank(a) - rank(b)); // a stable sort
}
