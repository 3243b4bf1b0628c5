// Fake of LiveChat's Chat Widget JS API v2: `window.LiveChatWidget` with
// additive `on`/`off`, the documented payloads (availability_changed,
// visibility_changed, new_event, customer_status_changed, rating_submitted)
// and the `#chat-widget-container` launcher. Test hook: `window.__fakeChat`.
(function () {
  const listeners = {};
  const emit = (name, payload) => (listeners[name] || []).slice().forEach((callback) => callback(payload));
  let chatting = false;
  let sequence = 0;
  const message = (type) => ({ id: `e${++sequence}`, type: "message", text: "…", author: { id: type, type } });

  window.LiveChatWidget = {
    on(name, callback) {
      (listeners[name] ||= []).push(callback);
    },
    off(name, callback) {
      listeners[name] = (listeners[name] || []).filter((f) => f !== callback);
    },
    call(method) {
      if (method === "maximize") emit("visibility_changed", { visibility: "maximized" });
      if (method === "minimize") emit("visibility_changed", { visibility: "minimized" });
    },
    get() {},
  };
  __fakeLauncher("div", { id: "chat-widget-container" });

  window.__fakeChat = {
    agentOnline: () => emit("availability_changed", { availability: "online" }),
    agentOffline: () => emit("availability_changed", { availability: "offline" }),
    open: () => window.LiveChatWidget.call("maximize"),
    visitorSays() {
      if (!chatting) emit("customer_status_changed", { status: "chatting" });
      chatting = true;
      emit("new_event", message("customer"));
    },
    agentSays: () => emit("new_event", message("agent")),
    end() {
      chatting = false;
      emit("customer_status_changed", { status: "browsing" });
    },
    rate: (good) => emit("rating_submitted", good ? "good" : "bad"),
  };
})();
