// The chat vendor adapters, in the order `data-chat="auto"` tries them.
//
// An adapter maps one vendor's documented page-side JS events to the sink of
// runtime/chat.js and must keep (chain) any handler the page installed itself:
//   name      the data-chat value
//   launcher  CSS selector of the vendor's launcher, for impressions and clicks
//   detect(w) true once the vendor's API is on the page
//   attach(w, sink) subscribes; sink has open, click, availability(online),
//             started, customerMessage, agentMessage, ended({resolved,
//             transferred, escalated}), survey(kind, score)
// hooks.js has the shared helpers (guarded handlers, chaining onto
// single-handler APIs, unread counts). What each adapter can feed: README.md.
//
// Order: a page with two vendors' scripts (say, mid-migration) gets the one
// whose events feed the most KPIs; Intercom and Zendesk, which give no
// visitor messages, come last.
import { chatwoot } from "./chatwoot.js";
import { crisp } from "./crisp.js";
import { freshchat } from "./freshchat.js";
import { intercom } from "./intercom.js";
import { livechat } from "./livechat.js";
import { tawk } from "./tawk.js";
import { zendesk } from "./zendesk.js";

/** Every vendor adapter. */
export const adapters = [livechat, tawk, crisp, freshchat, chatwoot, intercom, zendesk];
