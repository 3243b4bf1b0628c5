// Tells whether the page is being left for another page of the same site (the
// session goes on there, so the report can wait) or for somewhere else.
// Only a navigation that really starts counts: a link click or form submit
// the page cancels (a chat's compose form, an SPA router's link) is none.

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
  if (window.navigation) {
    // The Navigation API fires only for navigations that go ahead: links,
    // forms, scripts and back/forward alike.
    window.navigation.addEventListener("navigate", (event) => {
      if (!event.destination.sameDocument && sameOrigin(event.destination.url)) mark();
    });
  } else {
    // Without it: clicks and submits the page did not cancel, seen last (on
    // window, as they bubble), after the page's own handlers.
    window.addEventListener("click", (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      const plain = !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0;
      if (!event.defaultPrevented && link && plain && !link.target && !link.hasAttribute("download") && sameOrigin(link.href)) mark();
    });
    window.addEventListener("submit", (event) => {
      const form = event.target;
      if (!event.defaultPrevented && !form.target && form.method !== "dialog" && sameOrigin(form.action || location.href)) mark();
    });
  }
  return () => performance.now() - internalAt > INTENT_MS;
}
