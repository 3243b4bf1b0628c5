// Page helpers for widget tests.

/**
 * Simulates the tab becoming hidden or visible. Headless Chromium keeps every
 * tab visible, so the test shadows `document.visibilityState` while hidden
 * (and removes the shadow when visible again, so that the browser's own
 * changes, e.g. while the page unloads, show) and dispatches
 * `visibilitychange` as the browser would.
 */
export function setVisibility(page, state) {
  return page.evaluate((value) => {
    if (value === "hidden") {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    } else {
      delete document.visibilityState;
      delete document.hidden;
    }
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

/**
 * Resolves once the page has had an idle period after everything it queued
 * so far: the loader's idle start (queued at `load`) has run by then.
 */
export function afterIdle(page) {
  return page.evaluate(() => new Promise((resolve) => requestIdleCallback(() => resolve())));
}

/**
 * Resolves with the intersection ratio of `selector` once an
 * IntersectionObserver of the test has seen it. Observers are notified in
 * the order they were created, so the widget's (older) observer has seen
 * the same layout by then.
 */
export function intersection(page, selector) {
  return page.evaluate(
    (css) =>
      new Promise((resolve) => {
        const observer = new IntersectionObserver(([entry]) => {
          observer.disconnect();
          resolve(entry.intersectionRatio);
        });
        observer.observe(document.querySelector(css));
      }),
    selector,
  );
}

/**
 * Stops the page's clock (installed with `page.clock.install()` before the
 * page loaded), a second ahead of its time (it runs on while this call is
 * on its way; timers due within that second fire once): from then on its
 * timers run only when the test moves time on with `page.clock.runFor(ms)`.
 */
export async function pauseClock(page) {
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 1000);
}
