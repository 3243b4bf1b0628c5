// The page API, `supportKpi(command, …)`: the calls a page made before the
// widget started (the loader's queue) are read once, consent taken out (it
// decides the storage mode before anything is touched); then the API
// replaces the queue and replays the rest in the order that loses nothing.
// No call throws into the page.
import { lastConsent } from "../queued.js";
import { describe, messageOf } from "./safe.js";

/**
 * Empties `queue` into arrays, in order; a call that cannot be read is
 * dropped with a warning.
 */
export function drainQueue(queue, warn) {
  return queue.splice(0).flatMap((args) => {
    try {
      return [Array.from(args)];
    } catch {
      warn("a queued supportKpi call could not be read; it is dropped");
      return [];
    }
  });
}

/**
 * Empties `queue` (`drainQueue`) before anything is stored. Returns
 * `{ calls, consent }`: the calls but consent, and the last queued consent
 * (undefined when none).
 */
export function takeQueued(queue, warn) {
  const all = drainQueue(queue, warn);
  return { calls: all.filter((args) => args[0] !== "consent"), consent: lastConsent(all) };
}

/**
 * Puts the API on the page, running `commands` (name → function) while
 * `isStopped()` is false (`optIn` always), then replays the queued `calls`.
 */
export function exposeApi(commands, isStopped, calls, warn) {
  const api = function supportKpi(command, ...args) {
    try {
      if (isStopped() && command !== "optIn") return;
      if (typeof command !== "string" || !Object.hasOwn(commands, command)) return warn(`unknown command supportKpi(${describe(command)})`);
      commands[command](...args);
    } catch (error) {
      warn(`supportKpi(${describe(command)}, …) failed: ${messageOf(error)}`);
    }
  };
  api.started = true;
  window.supportKpi = api;
  for (const args of replayOrder(calls)) api(...args);
}

/**
 * `calls` in replay order. Listeners the page registered before the widget
 * started see every event, so they come first. Availability a chat vendor
 * reported while the page loaded describes this page view, so it comes
 * before the queued page view. Everything else keeps its order.
 */
function replayOrder(calls) {
  const isListener = (args) => args[0] === "onEvent" || args[0] === "onKpis";
  const isAvailability = (args) => args[0] === "chat" && (args[1] === "online" || args[1] === "offline");
  const rank = (args) => (isListener(args) ? 0 : isAvailability(args) ? 1 : 2);
  return [...calls].sort((a, b) => rank(a) - rank(b)); // a stable sort
}
