// The chat vendor adapters, in the order `data-chat="auto"` tries them: the
// vendors whose events feed the most KPIs first; Intercom and Zendesk, which
// give no visitor messages, last.
//
// Detection is here, in the runtime; each vendor's mapping is its own module,
// loaded (as its own chunk) only when that vendor is on the page. A module
// exports `launcher` (CSS selector of the vendor's launcher) and
// `attach(w, sink)`, which maps the vendor's documented page-side JS events to
// the sink of runtime/chat.js (open, click, availability,
// customerMessage, agentMessage, ended, survey) and keeps the page's own
// handlers working. What each adapter can feed: the project README.

/** Every vendor adapter: its `data-chat` name, how to see it on the page, how to load it. */
export const adapters = [
  { name: "livechat", detect: (w) => typeof w.LiveChatWidget?.on === "function", load: () => import("./livechat.js") },
  { name: "tawk", detect: (w) => typeof w.Tawk_API === "object" && w.Tawk_API !== null, load: () => import("./tawk.js") },
  { name: "crisp", detect: (w) => typeof w.$crisp?.push === "function", load: () => import("./crisp.js") },
  { name: "freshchat", detect: (w) => typeof w.fcWidget?.on === "function", load: () => import("./freshchat.js") },
  { name: "chatwoot", detect: (w) => Boolean(w.$chatwoot || w.chatwootSDK), load: () => import("./chatwoot.js") },
  { name: "intercom", detect: (w) => typeof w.Intercom === "function", load: () => import("./intercom.js") },
  { name: "zendesk", detect: (w) => typeof w.zE === "function", load: () => import("./zendesk.js") },
];
