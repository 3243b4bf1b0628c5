// The storage mode of this page (README "Storage modes and consent"):
// localStorage only in storage mode and, where consent is required, once it
// is given; consent withdrawn deletes what was stored.
import { describe } from "./safe.js";

/** The storage mode over `store` for `options` (`storage`, `consentRequired`). */
export function createConsent(options, store, warn) {
  const unavailable = "localStorage is unavailable: each page reports on its own";
  const mayStore = (given) => options.storage === "local" && (options.consentRequired ? given === true : given !== false);
  /** Consent withdrawn: back to memory, deleting what was stored (memory mode never stored anything). */
  const withdraw = () => options.storage === "local" && store.persist(false);
  return {
    /** Applies the consent queued before the widget started (undefined: none) before anything is touched. */
    begin(given) {
      if (mayStore(given) && !store.persist(true)) warn(unavailable);
      if (given === false) withdraw();
    },
    /**
     * `supportKpi('consent', given)`: storage from now on, or none and nothing
     * kept. Once storage is on, `onStored()` runs (`onOptedOut()` instead if
     * the device had opted out).
     */
    command(given, { onStored, onOptedOut }) {
      if (typeof given !== "boolean") return warn(`supportKpi('consent', given) needs true or false, not ${describe(given)}`);
      if (!given) return withdraw();
      if (!mayStore(true) || store.available) return;
      if (!store.persist(true)) return warn(unavailable);
      if (store.get("optout")) return onOptedOut();
      onStored();
    },
  };
}
