// The session's engine starts only when something needs it
// (www/widget/runtime/session.js), in Node over a fake engine: the widget's
// own events are kept and travel in the saved record, and once the engine
// starts it counts them in the order and with the availability it would have
// counted them live.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_KEPT, continueRecord, createSession } from "../../www/widget/runtime/session.js";

/** Opening hours of the fake engines: online before ts 100. */
const online = (ts) => ts < 100;

/** `open(state)` over fake engines that log what they count; `opened` lists the states they were made from. */
function fakeEngines() {
  const opened = [];
  const open = (state) => {
    if (state === "unusable") return null;
    opened.push(state);
    const counted = state === null ? [] : JSON.parse(state);
    return {
      counted,
      track(event) {
        if (event.type === "refused") throw new Error("type: unknown");
        counted.push(event);
      },
      inOpeningHours: online,
      saveState: () => JSON.stringify(counted),
      report: () => ({ period: counted.length > 0 ? {} : undefined, counted: counted.splice(0) }),
      free() {},
    };
  };
  return { open, opened };
}

const quiet = { warn: (message) => assert.fail(message), onTracked() {} };

/** A first page's session over fake engines, with `opened` (see fakeEngines). */
function firstPage() {
  const { open, opened } = fakeEngines();
  return { session: createSession({ open, previous: null, ...quiet }), opened };
}

test("page views and impressions are kept, not counted, and travel in the record with the times they set", () => {
  const { session, opened } = firstPage();
  session.pageView(10, true, true);
  session.impression();
  session.pageView(20, false, false);
  assert.deepEqual(opened, [], "no engine started");
  const record = session.record(null);
  assert.equal(record.state, null, "a new engine's state");
  assert.equal(record.kept.length, 1, "one page's entries");
  assert.deepEqual(record.kept[0][0], ["page_view", 10, true, true]);
  assert.equal(record.kept[0][1][0], "chat_button_impression");
  assert.deepEqual(record.kept[0][2], ["page_view", 20, false, false]);
  assert.equal(record.since, 10, "the oldest unreported event");
  assert.equal(record.last, 20, "the last event");
  assert.deepEqual(opened, [], "still none: saving the record needs no engine");
});

test("the next page's engine counts every earlier page's entries in order, availability afresh on each page", () => {
  const { open } = fakeEngines();
  const first = createSession({ open, previous: null, ...quiet });
  first.pageView(10, true, true);
  first.pageView(20, true, true); // same availability on the same page: no event
  const second = createSession({ open, previous: first.record(null), ...quiet });
  second.pageView(120, true, true); // a new page: availability again, now offline
  second.pageView(130, false, false); // the vendor reports availability: none by the hours
  const third = createSession({ open, previous: second.record(null), ...quiet });
  third.pageView(140, true, true);
  const report = JSON.parse(third.takeReport());
  assert.deepEqual(report.counted, [
    { type: "availability", ts: 10, online: true },
    { type: "page_view", ts: 10, support: true },
    { type: "page_view", ts: 20, support: true },
    { type: "availability", ts: 120, online: false },
    { type: "page_view", ts: 120, support: true },
    { type: "page_view", ts: 130, support: false },
    { type: "availability", ts: 140, online: false },
    { type: "page_view", ts: 140, support: true },
  ]);
  assert.equal(third.times().pendingSince, null, "reported");
});

test("once started, the engine counts live, the page's availability continuing from its kept views", () => {
  const { session, opened } = firstPage();
  session.pageView(10, true, true);
  const seen = [];
  session.listen((event) => seen.push(event));
  assert.deepEqual(opened, [null], "a listener starts the engine");
  session.pageView(20, true, true); // still online: no availability event
  session.track({ type: "chat_open", ts: 30 });
  assert.deepEqual(seen, [{ type: "page_view", ts: 20, support: true }, { type: "chat_open", ts: 30 }], "listeners see events from now on");
  const record = session.record(null);
  assert.equal(record.kept, undefined, "nothing kept once the engine runs");
  assert.deepEqual(JSON.parse(record.state).map((e) => e.ts), [10, 10, 20, 30]);
});

test("the page's own calls, the engine property and a report each start the engine once", () => {
  for (const use of [(s) => s.track({ type: "chat_open" }), (s) => s.engine, (s) => s.takeReport()]) {
    const { open, opened } = fakeEngines();
    const session = createSession({ open, previous: { at: 1, state: "[]", kept: [[["page_view", 5, true, false]]], last: 5, since: 5 }, ...quiet });
    use(session);
    use(session);
    assert.deepEqual(opened, ["[]"], "made from the saved state, once");
  }
});

test("past MAX_KEPT entries, this page's and earlier pages' together, the engine starts and counts them into its state", () => {
  const { open, opened } = fakeEngines();
  const earlier = [Array.from({ length: MAX_KEPT - 10 }, (_, i) => ["page_view", 100 + i, true, false])];
  const session = createSession({ open, previous: { at: 1, state: null, kept: earlier, last: 189, since: 100 }, ...quiet });
  for (let i = 0; i < 10; i++) session.pageView(200 + i, true, false);
  assert.deepEqual(opened, [], `${MAX_KEPT} entries are kept`);
  session.pageView(300, true, false);
  assert.deepEqual(opened, [null], "one more starts the engine");
  const record = session.record(null);
  assert.equal(record.kept, undefined);
  assert.equal(JSON.parse(record.state).length, MAX_KEPT + 1);
});

test("an unusable saved state still lets the kept entries count, and entries another script wrote are dropped with a warning", () => {
  const { open } = fakeEngines();
  const warnings = [];
  const kept = [[["page_view", 1, true, false], ["page_view", "noon", true, false], ["refused", 2], { length: 0 }, ["page_view", 3, "yes", false]], "not a page"];
  const engine = continueRecord({ at: 1, state: "unusable", kept }, open, (message) => warnings.push(message));
  assert.deepEqual(engine.counted, [{ type: "page_view", ts: 1, support: true }]);
  assert.equal(warnings.length, 4, warnings.join("\n"));
  assert.ok(warnings.every((w) => w.startsWith("a kept event was dropped: ")), warnings.join("\n"));
});

test("after an opt-out nothing is kept or counted, and no engine starts", () => {
  const { session, opened } = firstPage();
  session.pageView(10, true, true);
  session.stop();
  session.pageView(20, true, true);
  session.impression();
  assert.throws(() => session.engine, /opted out/, "live KPIs due after the opt-out get no engine");
  assert.throws(() => session.takeReport(), /opted out/);
  assert.deepEqual(opened, []);
  assert.equal(session.record(null).kept, undefined);
});
