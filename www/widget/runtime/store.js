// localStorage behind a wrapper that never throws: blocked storage, a full
// quota or a private mode all degrade to "nothing persists".

/** A store for one site's keys; `available` is false when storage is blocked. */
export function openStore(site) {
  const prefix = `supportKpi:${site}:`;
  let storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(`${prefix}probe`, "1");
    storage.removeItem(`${prefix}probe`);
  } catch {
    storage = null;
  }
  const attempt = (action, fallback) => {
    try {
      return storage ? action(storage) : fallback;
    } catch {
      return fallback;
    }
  };
  return {
    available: storage !== null,
    /** The value of `key`, or null. */
    get: (key) => attempt((s) => s.getItem(prefix + key), null),
    /** Stores `value`; false when it could not (blocked or full). */
    set: (key, value) => attempt((s) => (s.setItem(prefix + key, value), true), false),
    /** Removes `key`. */
    remove: (key) => attempt((s) => s.removeItem(prefix + key), undefined),
    /** Keys (without the prefix) that start with `start`. */
    keys: (start) =>
      attempt((s) => {
        const found = [];
        for (let i = 0; i < s.length; i++) {
          const key = s.key(i);
          if (key && key.startsWith(prefix + start)) found.push(key.slice(prefix.length));
        }
        return found;
      }, []),
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
