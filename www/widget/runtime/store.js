// The widget's storage: localStorage behind a wrapper that never throws, or
// memory only. It starts in memory, touching nothing on the device, and uses
// localStorage only once `persist(true)` succeeded (storage mode, or consent
// given); blocked storage, a full quota or a private mode all degrade to
// memory.

/** A store for one site's keys; `available` is true while it is backed by localStorage. */
export function openStore(site) {
  const prefix = `supportKpi:${site}:`;
  const memory = memoryStorage();
  let storage = null;
  const attempt = (action, fallback) => {
    try {
      return action(storage ?? memory);
    } catch {
      return fallback;
    }
  };
  const ownKeys = (s) => {
    const found = [];
    for (let i = 0; i < s.length; i++) {
      const key = s.key(i);
      if (key?.startsWith(prefix)) found.push(key);
    }
    return found;
  };
  return {
    get available() {
      return storage !== null;
    },
    /**
     * `true`: moves to localStorage, taking along what memory held (false
     * when it is blocked). `false`: back to memory, deleting every key of
     * this site from localStorage.
     */
    persist(on) {
      if (on && !storage) {
        try {
          const local = window.localStorage;
          local.setItem(`${prefix}probe`, "1");
          local.removeItem(`${prefix}probe`);
          for (const key of ownKeys(memory)) local.setItem(key, memory.getItem(key));
          storage = local;
          memory.clear();
        } catch {
          return false;
        }
      } else if (!on) {
        storage = null;
        try {
          const local = window.localStorage;
          for (const key of ownKeys(local)) local.removeItem(key);
        } catch {
          // Blocked storage holds nothing of ours.
        }
      }
      return true;
    },
    /** The value of `key`, or null. */
    get: (key) => attempt((s) => s.getItem(prefix + key), null),
    /** Stores `value`; false when it could not (full). */
    set: (key, value) => attempt((s) => (s.setItem(prefix + key, value), true), false),
    /** Removes `key`. */
    remove: (key) => attempt((s) => s.removeItem(prefix + key), undefined),
    /** Keys (without the prefix) that start with `start`. */
    keys: (start) => attempt((s) => ownKeys(s).filter((key) => key.startsWith(prefix + start)).map((key) => key.slice(prefix.length)), []),
  };
}

/** The part of the Storage interface the store uses, in memory. */
function memoryStorage() {
  const items = new Map();
  return {
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    clear: () => items.clear(),
  };
}

/** Parses JSON stored by this widget; null when absent or corrupt. */
export function parseStored(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
