// Chat launcher impressions by the MRC viewability rule: at least 50 % of the
// launcher's pixels in the viewport, the tab visible, for one continuous
// second; at most once per page view. Also counts launcher clicks, including
// clicks into a vendor's launcher iframe (which take the focus).

const VIEWABLE_RATIO = 0.5;
const VIEWABLE_MS = 1000;

/**
 * Watches the element matching `selector()` (which may appear late or change).
 * Calls `onImpression()` and `onClick()`; returns `{ newPageView, stop }`.
 */
export function watchLauncher(selector, onImpression, onClick) {
  let element = null;
  let inView = false;
  // Nothing counts before the first page view is applied (queued calls may
  // wait for a slow adapter chunk): an impression belongs to a page view.
  let counted = true;
  let timer = 0;

  const update = () => {
    const viewable = inView && !counted && document.visibilityState === "visible";
    if (viewable && !timer) {
      timer = setTimeout(() => {
        timer = 0;
        counted = true;
        onImpression();
      }, VIEWABLE_MS);
    } else if (!viewable && timer) {
      clearTimeout(timer);
      timer = 0;
    }
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) inView = entry.isIntersecting && entry.intersectionRatio >= VIEWABLE_RATIO;
      update();
    },
    { threshold: [0, VIEWABLE_RATIO, 1] },
  );
  const find = () => {
    if (element?.isConnected) return;
    const css = selector();
    const found = css ? document.querySelector(css) : null;
    if (found === element) return;
    if (element) observer.unobserve(element);
    element = found;
    inView = false;
    if (found) observer.observe(found);
    update();
  };
  let scheduled = false;
  const mutations = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(() => {
      scheduled = false;
      find();
    }, 200);
  });
  mutations.observe(document.documentElement, { childList: true, subtree: true });
  const onVisibility = () => update();
  const onDocumentClick = (event) => {
    const css = selector();
    if (css && event.target instanceof Element && event.target.closest(css)) onClick();
  };
  const onBlur = () =>
    setTimeout(() => {
      const css = selector();
      const active = document.activeElement;
      if (css && active?.tagName === "IFRAME" && active.closest(css)) onClick();
    });
  document.addEventListener("visibilitychange", onVisibility);
  document.addEventListener("click", onDocumentClick, true);
  window.addEventListener("blur", onBlur);
  find();

  const relook = () => {
    if (element) observer.unobserve(element);
    element = null;
    find();
  };

  return {
    /** Allows one impression for a new page view (the first, or SPA navigation); the viewable second starts now. */
    newPageView() {
      clearTimeout(timer);
      timer = 0;
      counted = false;
      relook();
    },
    /** Looks for the launcher again (its selector may have changed). */
    refresh: relook,
    /** Stops watching. */
    stop() {
      clearTimeout(timer);
      observer.disconnect();
      mutations.disconnect();
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("click", onDocumentClick, true);
      window.removeEventListener("blur", onBlur);
    },
  };
}
