// Fake of the Crisp chatbox. The page's snippet sets `window.$crisp = []`, a
// queue; `load()` plays the chatbox script: it replaces `window.$crisp` with
// the live SDK object (push, is, get), runs the queued commands and adds the
// `#crisp-chatbox-button` launcher. Like Crisp, it keeps ONE callback per
// event: `["on", event, cb]` replaces the previous one and `["off", event]`
// removes it. `load({online: true})`: the website is available from the
// start. Test hook: `window.__fakeChat`.
(function () {
  const callbacks = {};
  const emit = (name, ...args) => typeof callbacks[name] === "function" && callbacks[name](...args);
  let available = false;
  let opened = false;
  const open = () => {
    opened = true;
    emit("chat:opened");
  };
  const run = (command) => {
    const [verb, name, argument] = command;
    if (verb === "on") callbacks[name] = argument;
    else if (verb === "off") delete callbacks[name];
    else if (verb === "do" && name === "chat:open") open();
  };
  const message = (from, content) => ({ type: "text", content, from, origin: "chat", timestamp: Date.now(), fingerprint: Math.floor(Math.random() * 1e15) });
  const setAvailable = (value) => {
    available = value;
    emit("website:availability:changed", value);
  };

  window.__fakeChat = {
    load(initial = {}) {
      if (typeof window.$crisp?.is === "function") return;
      available = initial.online === true;
      const queued = window.$crisp || [];
      window.$crisp = {
        push: (...commands) => commands.forEach(run),
        is: (what) => (what === "website:available" ? available : what === "chat:opened" ? opened : false),
        get: () => undefined,
      };
      queued.forEach(run);
      emit("session:loaded", "session_00000000-0000-0000-0000-000000000000");
      __fakeLauncher("div", { id: "crisp-chatbox-button", role: "button" });
    },
    agentOnline: () => setAvailable(true),
    agentOffline: () => setAvailable(false),
    open,
    visitorSays: (text = "Hello?") => emit("message:sent", message("user", text)),
    agentSays: (text = "Hi!") => emit("message:received", message("operator", text)),
  };
})();
