// Carries the engine across page loads and tabs without counting anything
// twice or losing it:
// - a page that is hidden stores its engine state under a fresh key;
// - a starting page claims (reads and removes) every stored state: the newest
//   becomes its engine, the others' unreported counts are reported (a page
//   may make its engine ahead from the newest state it sees, and keeps it if
//   that is still the newest it claims);
// - a page that becomes visible again takes its stored state back; if another
//   page claimed it meanwhile, that page owns the counts now, and this page
//   drops its unreported ones.
import { parseStored } from "./store.js";

const PREFIX = "state:";

/** Hand-over of engine states through `store`. */
export function createHandover(store) {
  let ownKey = null;
  /** The stored states' keys with their records (null where unreadable). */
  const stored = () => store.keys(PREFIX).map((key) => ({ key, record: parseStored(store.get(key)) }));
  /** The readable records of `entries`, newest first. */
  const newestFirst = (entries) => entries.map((e) => e.record).filter((r) => r && typeof r.state === "string").sort((a, b) => b.at - a.at);
  return {
    /** Claims every stored state; returns their records, newest first. */
    claimAll() {
      const entries = stored();
      for (const { key } of entries) store.remove(key);
      return newestFirst(entries);
    },
    /** The record `claimAll` would continue from now, left stored (null when none). */
    newest: () => newestFirst(stored())[0] ?? null,
    /** Stores `record` as this page's state, replacing the one it stored before. */
    save(record) {
      const key = PREFIX + randomHex(8);
      if (!store.set(key, JSON.stringify(record))) return false;
      if (ownKey) store.remove(ownKey);
      ownKey = key;
      return true;
    },
    /** Takes this page's stored state back: false if another page claimed it. */
    reclaim() {
      if (!ownKey) return true;
      const kept = store.get(ownKey) !== null;
      store.remove(ownKey);
      ownKey = null;
      return kept || !store.available;
    },
  };
}

/**
 * Whether `claimed`, the newest record `claimAll` returned (or none), is the
 * record `newest` returned earlier (or none): no other tab stored or claimed
 * a state in between.
 */
export function sameRecord(claimed, peeked) {
  return claimed && peeked ? claimed.at === peeked.at && claimed.state === peeked.state : !claimed && !peeked;
}

/** `bytes` random bytes as hex. */
export function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
