// The engine of this page's session, started only when something needs it: a
// report, an event from the page or a chat vendor, an `onEvent` listener,
// live KPIs. Until then the widget's own events — page views with the
// availability the opening hours give them, the launcher's impressions,
// valid by construction — are kept as entries, stored with the state for the
// next page, and the engine counts them in order when it starts; most page
// views of a visit never run the engine on the page. The session also keeps
// what the report policy needs to know (the times of the last and of the
// oldest unreported event) and feeds each event as a plain copy, so the
// page's getters and proxies run once.
import { guard, messageOf } from "./safe.js";

/** Entries a session keeps, with those of earlier pages: past this the engine starts and counts them into its state. */
export const MAX_KEPT = 100;

/**
 * A session continuing `previous` (the record an earlier page saved, see
 * `record`, or null). `open(state)` makes the engine from a saved state
 * (null: a new engine), or returns null when the state is unusable.
 * `onTracked()` runs after each event counted or kept.
 */
export function createSession({ open, previous, warn, onTracked }) {
  let lastEventAt = previous?.last ?? 0;
  let pendingSince = previous?.since ?? null;
  let stopped = false;
  let engine = null;
  const listeners = [];
  const earlier = keptPages(previous);
  const earlierKept = earlier.flat().length;
  /** This page's kept entries, and its availability by the opening hours so far (null: none yet). */
  const page = { kept: [], online: null };
  const feed = (event) => {
    engine.track(event);
    for (const listener of listeners) guard(listener, warn, "an onEvent callback threw")({ ...event });
  };
  /** The engine, started from the earlier pages' record with every kept entry counted; none after an opt-out. */
  const started = () => {
    if (stopped) throw new Error("the visitor opted out");
    if (!engine) {
      engine = continueRecord(previous, open, warn);
      countKept(engine, page, page.kept, warn);
      page.kept = [];
    }
    return engine;
  };
  /** Counts the widget's own event `entry` now, or keeps it while the engine is not needed. */
  const countOwn = (entry) => {
    if (stopped) return;
    if (engine) {
      try {
        countEntry(entry, page, engine, feed);
      } catch (error) {
        return warn(`event refused: ${messageOf(error)}`);
      }
    } else {
      page.kept.push(entry);
      // A long visit's entries go into the state rather than pile up.
      if (earlierKept + page.kept.length > MAX_KEPT) started();
    }
    lastEventAt = entry[1];
    pendingSince ??= entry[1];
    onTracked();
  };
  return {
    /** The engine (started on first use). */
    get engine() {
      return started();
    },
    /** `{ lastEventAt, pendingSince }`: times of the last and of the oldest unreported event (null: none). */
    times: () => ({ lastEventAt, pendingSince }),
    /** True once the visitor opted out: nothing is counted any more. */
    get stopped() {
      return stopped;
    },
    /** Feeds one event from the page or a chat vendor to the engine; `ts` defaults to now. */
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
        started();
        feed(tracked);
      } catch (error) {
        return warn(`event refused: ${messageOf(error)}`);
      }
      if (tracked.type !== "availability") {
        lastEventAt = tracked.ts;
        pendingSince ??= tracked.ts;
      }
      onTracked();
    },
    /**
     * A page view at `ts` (a finite time: the loader's), of a support page
     * or not; with `byHours`, availability follows the opening hours (an
     * `availability` event when it changed since this page's last view).
     */
    pageView: (ts, support, byHours) => countOwn(["page_view", ts, support === true, byHours === true]),
    /** The launcher was seen (its rule in launcher.js). */
    impression: () => countOwn(["chat_button_impression", Date.now()]),
    /** `supportKpi('onEvent', callback)`: `callback` sees a copy of every event from now on. */
    listen(callback) {
      if (typeof callback !== "function") return warn("supportKpi('onEvent', callback) needs a function");
      started();
      listeners.push(callback);
    },
    /** The report since the last one as JSON, or null when nothing was counted. */
    takeReport() {
      const report = started().report();
      pendingSince = null;
      return report.period ? JSON.stringify(report) : null;
    },
    /**
     * The record a later page or tab continues from (`chat`: the chat's
     * state): `{ at, state, kept, last, since, chat }` — `state`, the
     * engine's saved state (null: a new engine), `kept`, the entries of each
     * page since that state was saved.
     */
    record(chat) {
      const kept = engine ? [] : [...earlier, page.kept].filter((entries) => entries.length > 0);
      const state = engine ? engine.saveState() : savedState(previous);
      return { at: Date.now(), state, ...(kept.length > 0 ? { kept } : {}), last: lastEventAt, since: pendingSince, chat };
    },
    /** Stops counting and frees the engine (opt-out). */
    stop() {
      stopped = true;
      engine?.free();
      page.kept = [];
    },
  };
}

/**
 * The engine continuing `record` (null: a new one): made from its saved
 * state (a new engine where that is unusable), then counting the entries
 * its pages kept, each page's availability starting afresh.
 */
export function continueRecord(record, open, warn) {
  const state = savedState(record);
  const engine = (state !== null && open(state)) || open(null);
  for (const entries of keptPages(record)) countKept(engine, { online: null }, entries, warn);
  return engine;
}

/** The engine state `record` carries, or null (none: a new engine's). */
function savedState(record) {
  return typeof record?.state === "string" ? record.state : null;
}

/** The pages' entry lists a stored record carries (another script may have written anything there). */
function keptPages(record) {
  return Array.isArray(record?.kept) ? record.kept.filter(Array.isArray) : [];
}

/** Counts a page's kept `entries` into `engine`; an entry that is not one the widget keeps, or that the engine refuses, is skipped with a warning. */
function countKept(engine, page, entries, warn) {
  for (const entry of entries) {
    try {
      if (!isEntry(entry)) throw new Error("not a kept page view or impression");
      countEntry(entry, page, engine, (event) => engine.track(event));
    } catch (error) {
      warn(`a kept event was dropped: ${messageOf(error)}`);
    }
  }
}

/** Whether `entry` is `["page_view", ts, support, byHours]` or `["chat_button_impression", ts]`. */
function isEntry(entry) {
  const [type, ts, support, byHours] = entry;
  if (!Number.isFinite(ts)) return false;
  if (type === "chat_button_impression") return entry.length === 2;
  return type === "page_view" && entry.length === 4 && typeof support === "boolean" && typeof byHours === "boolean";
}

/** Counts one entry through `count(event)`; a page view by `engine`'s opening hours first updates `page.online`. */
function countEntry([type, ts, support, byHours], page, engine, count) {
  if (type === "chat_button_impression") return count({ type, ts });
  if (byHours) {
    const online = engine.inOpeningHours(ts);
    if (online !== page.online) count({ type: "availability", ts, online });
    page.online = online;
  }
  count({ type, ts, support });
}
