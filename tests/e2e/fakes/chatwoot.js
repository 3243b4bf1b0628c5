// Fake of the Chatwoot website SDK. `load()` plays sdk.js arriving: it
// defines `window.chatwootSDK`, whose `run({websiteToken, baseUrl})` sets
// `window.$chatwoot`, adds the `.woot-widget-bubble` launcher
// and dispatches `chatwoot:ready`; later events are window CustomEvents
// (`chatwoot:opened`, `chatwoot:closed`, `chatwoot:on-start-conversation`
// {hasConversation}, `chatwoot:on-message` with the message as `detail`,
// message_type 0 incoming / 1 outgoing / 2 activity). Test hook: `window.__fakeChat`.
(function () {
  const dispatch = (name, detail) => window.dispatchEvent(new CustomEvent(`chatwoot:${name}`, { detail }));
  let sequence = 0;
  let last = null;
  const say = (type, content) => {
    last = { id: ++sequence, content, message_type: type, content_type: "text", conversation_id: 1, created_at: Math.floor(Date.now() / 1000), private: false };
    dispatch("on-message", last);
  };
  let isOpen = false;

  const sdk = {
    run() {
      if (window.$chatwoot) return;
      window.$chatwoot = {
        hasLoaded: true,
        get isOpen() {
          return isOpen;
        },
        toggle(state) {
          isOpen = state ? state === "open" : !isOpen;
          dispatch(isOpen ? "opened" : "closed", null);
        },
      };
      const holder = __fakeLauncher("div", { class: "woot--bubble-holder" });
      holder.appendChild(Object.assign(document.createElement("button"), { className: "woot-widget-bubble", textContent: "Chat" }));
      dispatch("ready", null);
    },
  };

  window.__fakeChat = {
    load() {
      window.chatwootSDK ||= sdk;
    },
    open: () => window.$chatwoot.toggle("open"),
    startConversation: () => dispatch("on-start-conversation", { hasConversation: false }),
    visitorSays: (text = "Hello?") => say(0, text),
    agentSays: (text = "Hi!") => say(1, text),
    activity: (text = "Conversation was assigned") => say(2, text),
    /** Sends the last message again, as Chatwoot does when a message is updated. */
    update: () => dispatch("on-message", last),
  };
})();
