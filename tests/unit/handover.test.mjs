// The hand-over of engine states between pages and tabs
// (www/widget/runtime/handover.js), in Node over an in-memory store: what a
// starting page claims, what it may make its engine from ahead of the claim,
// and when that engine is still the one to continue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHandover, sameRecord } from "../../www/widget/runtime/handover.js";

/** The part of the widget's store the hand-over uses, over a Map. */
function memoryStore(entries = {}) {
  const items = new Map(Object.entries(entries));
  return {
    items,
    available: true,
    get: (key) => items.get(key) ?? null,
    set: (key, value) => (items.set(key, value), true),
    remove: (key) => void items.delete(key),
    keys: (start) => [...items.keys()].filter((key) => key.startsWith(start)),
  };
}

const record = (at, state) => ({ at, state, last: at, since: null, chat: null });
const stored = (...records) => Object.fromEntries(records.map((r, i) => [`state:${i}`, JSON.stringify(r)]));

test("a starting page claims every stored state, newest first, and removes the unreadable ones too", () => {
  const store = memoryStore({ ...stored(record(1, "old"), record(3, "newest"), record(2, "middle")), "state:bad": "{", "state:nostate": "{}", other: "kept" });
  const claimed = createHandover(store).claimAll();
  assert.deepEqual(claimed.map((r) => r.state), ["newest", "middle", "old"]);
  assert.deepEqual([...store.items.keys()], ["other"], "only keys outside the hand-over stay");
});

test("newest() is the record claimAll would continue from, and leaves every state stored", () => {
  const store = memoryStore({ ...stored(record(1, "old"), record(3, "newest")), "state:bad": "{" });
  const handover = createHandover(store);
  const peeked = handover.newest();
  assert.equal(peeked.state, "newest");
  assert.equal(store.items.size, 3, "nothing removed");
  assert.deepEqual(handover.claimAll()[0], peeked);
  assert.equal(handover.newest(), null, "none once claimed");
});

test("the engine made ahead continues only when the claim finds the same newest state", () => {
  const peeked = record(3, "S");
  assert.equal(sameRecord({ ...peeked }, peeked), true, "the same state (a copy parsed again)");
  assert.equal(sameRecord(undefined, null), true, "none then and none now: the new engine made ahead");
  assert.equal(sameRecord(record(4, "T"), peeked), false, "another tab stored a newer state meanwhile");
  assert.equal(sameRecord(record(3, "T"), peeked), false, "same time, other counts");
  assert.equal(sameRecord(undefined, peeked), false, "another tab claimed it meanwhile");
  assert.equal(sameRecord(record(1, "S"), null), false, "a state appeared meanwhile");
});

test("a page's saved state replaces its earlier one, and reclaim tells whether another page took it", () => {
  const store = memoryStore();
  const handover = createHandover(store);
  assert.equal(handover.reclaim(), true, "nothing saved: nothing to lose");
  handover.save(record(1, "first"));
  handover.save(record(2, "second"));
  assert.deepEqual([...store.items.values()].map((v) => JSON.parse(v).state), ["second"]);
  assert.equal(handover.reclaim(), true, "taken back");
  assert.equal(store.items.size, 0);
  handover.save(record(3, "third"));
  createHandover(store).claimAll(); // another tab starts
  assert.equal(handover.reclaim(), false, "another page owns the counts now");
});
