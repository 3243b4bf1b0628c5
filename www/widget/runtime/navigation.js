// Tells whether the page is being left for another page of the same site (the
// session goes on there, so the report can wait) or for somewhere else.

const INTENT_MS = 5000;

/** Starts watching for same-site navigations; returns `isLeavingSite()`. */
export function watchNavigation() {
  let internalAt = -Infinity;
  const sameOrigin = (url) => {
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch {
      return false;
    }
  };
  const mark = () => (internalAt = performance.now());
  // The Navigation API sees links, forms, scripts and back/forward alike.
  window.navigation?.addEventListener("navigate", (event) => {
    if (!event.destination.sameDocument && sameOrigin(event.destination.url)) mark();
  });
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      const plain = !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0;
      if (link && plain && !link.target && !link.hasAttribute("download") && sameOrigin(link.href)) mark();
    },
    true,
  );
  document.addEventListener("submit", (event) => sameOrigin(event.target.action || location.href) && mark(), true);
  return () => performance.now() - internalAt > INTENT_MS;
}
