// Page helpers for widget tests.

/**
 * Simulates the tab becoming hidden or visible. Headless Chromium keeps every
 * tab visible, so the test sets `document.visibilityState` and dispatches
 * `visibilitychange` as the browser would.
 */
export function setVisibility(page, state) {
  return page.evaluate((value) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => value === "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

/** The least time `until` waits: its bound only ends a test that would otherwise hang, and a busy machine is slow. */
const PATIENCE_MS = 60_000;

/** Resolves when `condition()` holds, polling; fails after `timeout` ms, and never before a minute. */
export async function until(condition, what, timeout = PATIENCE_MS) {
  const deadline = Date.now() + Math.max(timeout, PATIENCE_MS);
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
