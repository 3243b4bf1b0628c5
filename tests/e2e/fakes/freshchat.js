// Fake of the Freshchat web messenger script: `window.fcWidget` with
// `init(config)` (adds the `#fc_frame` launcher container, then publishes
// widget:loaded), additive `on`/`off` for the widget events, `open`/`close`,
// `isOpen`. Payloads are the messenger's `{action, data}` messages. Test
// hook: `window.__fakeChat`.
(function () {
  const listeners = {};
  const publish = (name, payload) => (listeners[name] || []).slice().forEach((callback) => callback(payload));
  let opened = false;
  const message = (action, text) => ({ action, data: { message: { messageParts: [{ text: { content: text } }], createdTime: Date.now() } } });

  window.fcWidget = {
    init() {
      __fakeLauncher("div", { id: "fc_frame" });
      publish("widget:loaded");
    },
    on(name, callback) {
      (listeners[name] ||= []).push(callback);
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
    isInitialized: () => true,
  };

  window.__fakeChat = {
    open: () => window.fcWidget.open(),
    visitorSays: (text = "Hello?") => publish("message:sent", message("message_sent", text)),
    agentSays: (text = "Hi!") => publish("message:received", message("message_received", text)),
    end: () => publish("conversation:resolved", { action: "conversation_resolved", data: {} }),
  };
})();
