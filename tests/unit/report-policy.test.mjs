// The report policy (www/widget/runtime/policy.js) against each rule of
// README "When and how reports are sent", one test per rule, in Node: state
// and time in, decision out.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decide, exitTransport, isSettled, prune, retryAt } from "../../www/widget/runtime/policy.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2026, 0, 15, 12);
/** A page in storage mode with counts from a minute ago, 30-minute session timeout. */
const page = (facts = {}) => ({
  now: NOW,
  stored: true,
  pendingSince: NOW - MINUTE,
  lastEventAt: NOW - MINUTE,
  timeoutMs: 30 * MINUTE,
  ...facts,
});

test("one report per session: a same-site navigation carries the counts to the next page", () => {
  assert.deepEqual(decide("pagehide", page({ leavingSite: false })), { save: true });
  assert.deepEqual(decide("hidden", page()), { save: true });
});

test("the report is sent when the visitor leaves the site, closing an open chat", () => {
  assert.deepEqual(decide("pagehide", page({ leavingSite: true })), { close: NOW, report: "exit", save: true });
});

test("the report is sent when the session times out with the page open, closing an open chat", () => {
  assert.deepEqual(decide("timeout", page()), { close: NOW, report: "send" });
});

test("the report is sent when the tab is hidden with counts older than an hour", () => {
  assert.equal(decide("hidden", page({ pendingSince: NOW - HOUR })).report, undefined, "an hour exactly is not older");
  assert.deepEqual(decide("hidden", page({ pendingSince: NOW - HOUR - 1 })), { report: "exit", save: true });
  assert.equal(decide("hidden", page({ pendingSince: null })).report, undefined, "nothing counted, nothing to send");
});

test("the report is sent at the next visit when a session ended without one", () => {
  const ended = page({ pendingSince: NOW - 2 * HOUR, lastEventAt: NOW - 30 * MINUTE - 1 });
  assert.deepEqual(decide("start", ended), { close: ended.lastEventAt, report: "send" });
  assert.deepEqual(decide("start", page({ lastEventAt: NOW - 30 * MINUTE })), {}, "the session goes on");
  assert.deepEqual(decide("start", page({ pendingSince: null, lastEventAt: NOW - 2 * HOUR })), {}, "already reported");
});

test("in memory mode, one report per page view, when the page is hidden or left", () => {
  const memory = page({ stored: false });
  assert.deepEqual(decide("hidden", memory), { report: "exit", save: true });
  assert.deepEqual(decide("pagehide", { ...memory, leavingSite: false }), { close: NOW, report: "exit", save: true });
});

test("supportKpi('flush') sends the report now", () => {
  assert.deepEqual(decide("flush", page()), { report: "send" });
});

test("transport: keepalive fetch, sendBeacon only where keepalive is missing", () => {
  assert.equal(exitTransport(true, 0, NOW, true), "fetch");
  assert.equal(exitTransport(true, 0, NOW, false), "beacon");
});

test("offline, a report goes to the outbox", () => {
  assert.equal(exitTransport(false, 0, NOW, true), "keep");
  assert.deepEqual(decide("online", page({ visible: true })), { flush: true }, "back online, the outbox is sent");
  assert.deepEqual(decide("online", page({ visible: false })), {}, "a hidden page may be unloading");
});

test("a report stays in the outbox until the collector acknowledges it", () => {
  for (const status of [200, 202, 204]) assert.ok(isSettled(status), `${status} acknowledges`);
  for (const status of [0, 408, 429, 500, 502, 503]) assert.ok(!isSettled(status), `${status} is retried`);
  for (const status of [400, 404, 413, 422]) assert.ok(isSettled(status), `${status} refuses the report itself: no retry changes it`);
});

test("retries at 30 s, 1 min, 2 min … up to 6 h", () => {
  const delays = [1, 2, 3, 4, 10, 11, 12, 50].map((tries) => retryAt(tries, NOW) - NOW);
  assert.deepEqual(delays, [30_000, MINUTE, 2 * MINUTE, 4 * MINUTE, 512 * 30_000, 6 * HOUR, 6 * HOUR, 6 * HOUR]);
});

test("at most 20 reports for 7 days", () => {
  const DAY = 24 * HOUR;
  const outbox = Array.from({ length: 25 }, (_, i) => ({ body: String(i), since: NOW - 25 * MINUTE + i * MINUTE }));
  assert.deepEqual(prune(outbox, NOW).map((e) => e.body), outbox.slice(5).map((e) => e.body), "the 20 newest");
  const aged = [{ body: "old", since: NOW - 7 * DAY }, { body: "young", since: NOW - 7 * DAY + 1 }];
  assert.deepEqual(prune(aged, NOW).map((e) => e.body), ["young"]);
});

test("after a failure, leaving pages keep their reports instead of sending into a collector known to be down", () => {
  assert.equal(exitTransport(true, NOW + 1, NOW, true), "keep");
  assert.equal(exitTransport(true, NOW, NOW, true), "fetch", "the retry time reached");
});

test("tabs: a page that is hidden stores its state", () => {
  for (const facts of [{}, { pendingSince: NOW - 2 * HOUR }, { stored: false }]) assert.equal(decide("hidden", page(facts)).save, true);
});

test("tabs: a page visible again takes its state back, or drops the counts another tab claimed", () => {
  assert.deepEqual(decide("visible", page({ reclaimed: true })), {});
  assert.deepEqual(decide("visible", page({ reclaimed: false })), { report: "drop" });
});

test("tabs: a page hidden again or going away after another tab claimed its state drops those counts, stores and sends nothing", () => {
  for (const facts of [{}, { pendingSince: NOW - 2 * HOUR }]) assert.deepEqual(decide("hidden", page({ ...facts, claimed: true })), { report: "drop" });
  for (const leavingSite of [false, true]) assert.deepEqual(decide("pagehide", page({ leavingSite, claimed: true })), { report: "drop" });
  assert.deepEqual(decide("pagehide", page({ leavingSite: false, claimed: false })), { save: true }, "not claimed: stored as before");
});
