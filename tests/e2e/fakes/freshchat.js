// Fake of the Freshchat web messenger script (`…/js/widget.js`): `load()`
// plays its arrival and defines `window.fcWidget` with `init(config)` (adds
// the `#fc_frame` launcher container, then publishes widget:loaded),
// additive `on`/`off`, `open`/`close`, `isOpen`, `isInitialized`. Like the
// messenger, `on` accepts only the event names of its list and silently
// ignores others (there is no `conversation:resolved`); `ignored()` lists
// the names it ignored. Payloads are the
// messenger's `{action, data}` messages. Test hook: `window.__fakeChat`.
(function () {
  const EVENTS = [
    "widget:opened", "widget:closed", "widget:loaded", "dialog:opened", "dialog:closed", "widget:destroyed",
    "frame:statechange", "user:statechange", "user:created", "user:cleared", "user:authenticated",
    "message:sent", "message:received", "unreadCount:notify", "push:subscribed", "readReceipts:update",
    "csat:received", "csat:updated", "csat:show", "anchorLink:clicked", "faq:clicked", "download:file",
    "rts:connected", "rts:disconnected",
  ];
  const listeners = {};
  const ignored = [];
  const publish = (name, payload) => (listeners[name] || []).slice().forEach((callback) => callback(payload));
  let opened = false;
  let initialized = false;
  const message = (action, text) => ({ action, data: { message: { messageParts: [{ text: { content: text } }], createdTime: Date.now() } } });
  const widget = {
    init() {
      initialized = true;
      __fakeLauncher("div", { id: "fc_frame" });
      publish("widget:loaded");
    },
    on(name, callback) {
      if (!EVENTS.includes(name)) ignored.push(name);
      else if (typeof callback === "function") (listeners[name] ||= []).push(callback);
    },
    off(name, callback) {
      listeners[name] = (listeners[name] || []).filter((f) => f !== callback);
    },
    open() {
      opened = true;
      publish("widget:opened");
    },
    close() {
      opened = false;
      publish("widget:closed");
    },
    isOpen: () => opened,
    isInitialized: () => initialized,
  };

  window.__fakeChat = {
    /** widget.js arrives: `window.fcWidget` exists from now on. */
    load() {
      window.fcWidget ||= widget;
    },
    ignored: () => ignored.slice(),
    open: () => window.fcWidget.open(),
    visitorSays: (text = "Hello?") => publish("message:sent", message("message_sent", text)),
    agentSays: (text = "Hi!") => publish("message:received", message("message_received", text)),
  };
})();
