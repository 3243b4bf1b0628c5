// Fake of the Intercom Messenger. The page's install snippet defines the
// `window.Intercom` stub that queues calls in `Intercom.q`; `load()` plays the
// Messenger script: it replaces the stub, replays the queue and adds the
// launcher. `onShow`/`onHide`/`onUnreadCountChange` add listeners; as
// documented, the unread-count listener is called when the count changes,
// and the count only rises for replies that arrive while the Messenger is
// hidden.
// Test hook: `window.__fakeChat`.
(function () {
  const listeners = { onShow: [], onHide: [], onUnreadCountChange: [] };
  const emit = (name, ...args) => listeners[name].slice().forEach((callback) => callback(...args));
  let shown = false;
  let unread = 0;
  const setUnread = (count) => {
    if (count === unread) return;
    unread = count;
    emit("onUnreadCountChange", count);
  };
  const listen = (name) => (callback) => typeof callback === "function" && listeners[name].push(callback);
  const methods = {
    boot() {},
    update() {},
    show() {
      if (shown) return;
      shown = true;
      emit("onShow");
      setUnread(0);
    },
    hide() {
      if (!shown) return;
      shown = false;
      emit("onHide");
    },
    onShow: listen("onShow"),
    onHide: listen("onHide"),
    onUnreadCountChange: listen("onUnreadCountChange"),
  };
  function Intercom(method, ...args) {
    if (Object.hasOwn(methods, method)) return methods[method](...args);
  }

  window.__fakeChat = {
    load() {
      if (window.Intercom === Intercom) return;
      const queued = window.Intercom?.q || [];
      window.Intercom = Intercom;
      for (const args of queued) Intercom(...args);
      __fakeLauncher("div", { class: "intercom-lightweight-app-launcher" });
    },
    open: () => methods.show(),
    close: () => methods.hide(),
    agentSays: () => shown || setUnread(unread + 1),
  };
})();
