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

/** Resolves when `condition()` holds, polling; fails after `timeout` ms. */
export async function until(condition, what, timeout = 5000) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
