// The hand-over of engine states between pages and tabs
// (www/widget/runtime/handover.js), in Node over an in-memory store: what a
// starting page claims, and what a page that is shown again takes back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHandover } from "../../www/widget/runtime/handover.js";

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

test("a record of a page that never started its engine (state null) is claimed like any other", () => {
  const store = memoryStore(stored(record(1, "old"), { ...record(2, null), kept: [[["page_view", 2, true, true]]] }));
  const claimed = createHandover(store).claimAll();
  assert.deepEqual(claimed.map((r) => r.state), [null, "old"]);
  assert.deepEqual(claimed[0].kept, [[["page_view", 2, true, true]]]);
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

test("claimed tells a hidden page whether another page took the state it stored", () => {
  const store = memoryStore();
  const handover = createHandover(store);
  assert.equal(handover.claimed(), false, "nothing stored yet");
  handover.save(record(1, "mine"));
  assert.equal(handover.claimed(), false, "still there");
  createHandover(store).claimAll(); // another tab starts and takes it
  assert.equal(handover.claimed(), true);
  store.available = false;
  assert.equal(handover.claimed(), false, "memory only: no other page can claim");
});
