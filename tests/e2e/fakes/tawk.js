// Fake of the tawk.to widget script. The page's embed snippet creates
// `Tawk_API = {}` and may set callback properties on it (`Tawk_API.onX =
// fn`, one function each); `load()` plays the script: it adds the API
// methods (getStatus, maximize, …) to that object, adds the launcher iframe
// titled "chat widget" and calls `Tawk_API.onLoad`. Every event calls the
// property of the moment, with `this` = Tawk_API. Status starts "offline"
// unless `load({online: true})`.
// Test hook: `window.__fakeChat`.
(function () {
  const api = window.Tawk_API;
  const call = (name, ...args) => typeof api[name] === "function" && api[name].apply(api, args);
  let status = "offline";
  let maximized = false;
  let ongoing = false;
  const setStatus = (value) => {
    status = value;
    call("onStatusChange", value);
  };

  let loaded = false;
  window.__fakeChat = {
    load(initial = {}) {
      if (loaded) return;
      loaded = true;
      if (initial.online) status = "online";
      Object.assign(api, {
        getStatus: () => status,
        maximize() {
          maximized = true;
          call("onChatMaximized");
        },
        minimize() {
          maximized = false;
          call("onChatMinimized");
        },
        isChatMaximized: () => maximized,
        isChatOngoing: () => ongoing,
        endChat() {
          ongoing = false;
          call("onChatEnded");
        },
      });
      __fakeLauncher("iframe", { title: "chat widget" });
      call("onLoad");
    },
    agentOnline: () => setStatus("online"),
    agentOffline: () => setStatus("away"),
    open: () => api.maximize(),
    visitorSays(text = "Hello?") {
      if (!ongoing) call("onChatStarted", { chatId: `chat-${Date.now()}` });
      ongoing = true;
      call("onChatMessageVisitor", text);
    },
    agentSays: (text = "Hi!") => call("onChatMessageAgent", text),
    end: () => api.endChat(),
    rate: (good) => call("onChatSatisfaction", good ? 1 : -1),
  };
})();
