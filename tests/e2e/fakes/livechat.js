// Fake of LiveChat's Chat Widget JS API. Running this file is the tracking
// code: it defines the `window.LiveChatWidget` stub, which queues `on`,
// `once`, `off` and `call` in `_q` and throws on `get` ("You can't use getters
// before load."). `load(initial)` plays tracking.js: it sets `_h`, replays
// the queue, adds the `#chat-widget-container` launcher and calls the `ready`
// listeners with `{state, customerData}`; a `ready` listener added after
// that is called at once, as documented. Additive listeners, the documented
// payloads (availability_changed, visibility_changed, new_event,
// customer_status_changed, rating_submitted), `get("state")`. Test hook:
// `window.__fakeChat`.
(function () {
  const slice = [].slice;
  const stub = {
    _q: [],
    _h: null,
    _v: "2.0",
  };
  const queue = (args) => (stub._h ? stub._h.apply(null, args) : stub._q.push(args));
  for (const verb of ["on", "once", "off", "call"]) stub[verb] = (...args) => queue([verb, slice.call(args)]);
  stub.get = (...args) => {
    if (!stub._h) throw new Error("[LiveChatWidget] You can't use getters before load.");
    return queue(["get", slice.call(args)]);
  };
  window.LiveChatWidget = window.LiveChatWidget || stub;

  const listeners = {};
  const emit = (name, payload) => (listeners[name] || []).slice().forEach((callback) => callback(payload));
  const state = { availability: "offline", visibility: "minimized" };
  const customerData = { id: "c1", name: "", email: "", isReturning: false, status: "browsing", sessionVariables: {} };
  let loaded = false;
  let sequence = 0;
  const message = (type) => ({ id: `e${++sequence}`, timestamp: Date.now(), type: "message", text: "…", author: { id: type, type } });
  const ready = () => ({ state: { ...state }, customerData: { ...customerData } });
  const remove = (name, callback) => (listeners[name] = (listeners[name] || []).filter((f) => f !== callback));
  const verbs = {
    on(name, callback) {
      (listeners[name] ||= []).push(callback);
      if (name === "ready" && loaded) callback(ready());
    },
    once(name, callback) {
      const once = (payload) => {
        remove(name, once);
        callback(payload);
      };
      verbs.on(name, once);
    },
    off: remove,
    call(method) {
      if (method === "maximize" || method === "minimize") {
        state.visibility = `${method}d`;
        emit("visibility_changed", { visibility: state.visibility });
      }
    },
    get(what) {
      if (what === "state") return { ...state };
      if (what === "customer_data") return { ...customerData };
      return undefined;
    },
  };
  const setStatus = (status) => {
    if (customerData.status === status) return;
    customerData.status = status;
    emit("customer_status_changed", { status });
  };
  const setAvailability = (availability) => {
    state.availability = availability;
    emit("availability_changed", { availability });
  };

  window.__fakeChat = {
    /** tracking.js arrives; `initial.online` is the group's availability then. */
    load(initial = {}) {
      if (loaded) return;
      if (typeof initial.online === "boolean") state.availability = initial.online ? "online" : "offline";
      stub._h = (verb, args) => verbs[verb]?.(...args);
      for (const args of stub._q.splice(0)) stub._h.apply(null, args);
      __fakeLauncher("div", { id: "chat-widget-container" });
      loaded = true;
      emit("ready", ready());
    },
    agentOnline: () => setAvailability("online"),
    agentOffline: () => setAvailability("offline"),
    open: () => window.LiveChatWidget.call("maximize"),
    /** An automated greeting: an agent-authored event before any chat. */
    greet: () => emit("new_event", { ...message("agent"), greeting: { id: 1, uniqueId: "g1" } }),
    visitorSays() {
      setStatus("chatting");
      emit("new_event", message("customer"));
    },
    agentSays: () => emit("new_event", message("agent")),
    end: () => setStatus("browsing"),
    rate: (good) => emit("rating_submitted", good ? "good" : "bad"),
  };
})();
