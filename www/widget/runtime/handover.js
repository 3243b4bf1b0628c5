// Carries the engine across page loads and tabs without counting anything
// twice or losing it:
// - a page that is hidden stores its engine state under a fresh key;
// - a starting page claims (reads and removes) every stored state: the newest
//   continues as its session, the others' unreported counts are reported;
// - a page that becomes visible again takes its stored state back; if another
//   page claimed it meanwhile, that page owns the counts now, and this page
//   drops its unreported ones (so does one hidden again, or going away,
//   before it was shown: it must not store them a second time).
import { parseStored } from "./store.js";

const PREFIX = "state:";

/** Hand-over of engine states through `store`. */
export function createHandover(store) {
  let ownKey = null;
  /** The stored states' keys with their records (null where unreadable). */
  const stored = () => store.keys(PREFIX).map((key) => ({ key, record: parseStored(store.get(key)) }));
  /** The readable records of `entries` (a saved state, or null for a new engine's), newest first. */
  const newestFirst = (entries) =>
    entries
      .map((e) => e.record)
      .filter((r) => r && (typeof r.state === "string" || r.state === null))
      .sort((a, b) => b.at - a.at);
  // Memory only (not available): no other page can claim anything.
  const claimed = () => ownKey !== null && store.available && store.get(ownKey) === null;
  return {
    /** Claims every stored state; returns their records, newest first. */
    claimAll() {
      const entries = stored();
      for (const { key } of entries) store.remove(key);
      return newestFirst(entries);
    },
    /** Stores `record` as this page's state, replacing the one it stored before. */
    save(record) {
      const key = PREFIX + randomHex(8);
      if (!store.set(key, JSON.stringify(record))) return false;
      if (ownKey) store.remove(ownKey);
      ownKey = key;
      return true;
    },
    /** True when the state this page stored was claimed by another page since (the counts are that page's). */
    claimed,
    /** Takes this page's stored state back: false if another page claimed it. */
    reclaim() {
      const taken = claimed();
      if (ownKey) store.remove(ownKey);
      ownKey = null;
      return !taken;
    },
  };
}

/** `bytes` random bytes as hex. */
export function randomHex(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
}
