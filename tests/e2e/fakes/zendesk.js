// Fake of the Zendesk messaging Web Widget. `load()` plays the ekr
// snippet.js arriving, which defines `zE` (before it, the page has no `zE`):
// `zE('messenger:on', 'open' | 'close' | 'unreadMessages', callback)` adds a
// subscription and returns its unsubscribe function; open/close callbacks get
// the documented event object, unreadMessages the count, which only rises for
// replies that arrive while the window is closed. `zE('messenger', 'open' |
// 'close')` act. Launcher: `iframe#launcher`. Test hook: `window.__fakeChat`.
(function () {
  const listeners = { open: [], close: [], unreadMessages: [] };
  const emit = (name, payload) => listeners[name].slice().forEach((callback) => callback(payload));
  const event = (type) => ({ id: crypto.randomUUID(), createdAt: Date.now(), type });
  let opened = false;
  let unread = 0;
  const setUnread = (count) => {
    if (count === unread) return;
    unread = count;
    emit("unreadMessages", count);
  };
  const actions = {
    open() {
      if (opened) return;
      opened = true;
      emit("open", event("messagingOpened"));
      setUnread(0);
    },
    close() {
      if (!opened) return;
      opened = false;
      emit("close", event("messagingClosed"));
    },
  };

  const zE = function (namespace, name, callback) {
    if (namespace === "messenger" && Object.hasOwn(actions, name)) return actions[name]();
    if (namespace !== "messenger:on" || !listeners[name] || typeof callback !== "function") return;
    listeners[name].push(callback);
    return () => (listeners[name] = listeners[name].filter((f) => f !== callback));
  };

  window.__fakeChat = {
    load() {
      if (window.zE) return;
      window.zE = zE;
      __fakeLauncher("iframe", { id: "launcher", title: "Button to launch messaging window" });
    },
    open: () => window.zE("messenger", "open"),
    close: () => window.zE("messenger", "close"),
    agentSays: () => opened || setUnread(unread + 1),
  };
})();
