// The engine of this page's session: feeds it events (each a plain copy, so
// the page's getters and proxies run once), tells `onEvent` listeners, and
// keeps what the report policy needs to know — the times of the last and of
// the oldest unreported event.
import { guard, messageOf } from "./safe.js";

/**
 * A session over `engine`, continuing the counts of `previous` (the record
 * an earlier page saved: `{ last, since }`, or null). `onTracked()` runs
 * after each event the engine took.
 */
export function createSession({ engine, previous, warn, onTracked }) {
  let lastEventAt = previous?.last ?? 0;
  let pendingSince = previous?.since ?? null;
  let stopped = false;
  const listeners = [];
  return {
    engine,
    /** `{ lastEventAt, pendingSince }`: times of the last and of the oldest unreported event (null: none). */
    times: () => ({ lastEventAt, pendingSince }),
    /** True once the visitor opted out: nothing is counted any more. */
    get stopped() {
      return stopped;
    },
    /** Feeds one event to the engine; `ts` defaults to now. */
    track(event) {
      if (stopped) return;
      let json;
      try {
        json = JSON.stringify(event);
      } catch (error) {
        return warn(`event refused: ${messageOf(error)}`);
      }
      const tracked = json === undefined ? event : JSON.parse(json);
      const isEvent = tracked !== null && typeof tracked === "object";
      if (isEvent && tracked.ts === undefined) tracked.ts = Date.now();
      try {
        engine.track(tracked);
      } catch (error) {
        return warn(`event refused: ${messageOf(error)}`);
      }
      for (const listener of listeners) guard(listener, warn, "an onEvent callback threw")({ ...tracked });
      if (tracked.type !== "availability") {
        lastEventAt = tracked.ts;
        pendingSince ??= tracked.ts;
      }
      onTracked();
    },
    /** `supportKpi('onEvent', callback)`: `callback` sees a copy of every event from now on. */
    listen(callback) {
      if (typeof callback === "function") listeners.push(callback);
      else warn("supportKpi('onEvent', callback) needs a function");
    },
    /** The report since the last one as JSON, or null when nothing was counted. */
    takeReport() {
      const report = engine.report();
      pendingSince = null;
      return report.period ? JSON.stringify(report) : null;
    },
    /** The record a later page or tab continues from (`chat`: the chat's state). */
    record: (chat) => ({ at: Date.now(), state: engine.saveState(), last: lastEventAt, since: pendingSince, chat }),
    /** Stops counting and frees the engine (opt-out). */
    stop() {
      stopped = true;
      engine.free();
    },
  };
}
