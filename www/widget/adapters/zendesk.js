// Zendesk messaging Web Widget: `zE('messenger:on', 'open' | 'close' |
// 'unreadMessages', callback)`. Each call adds a subscription (it returns its
// own unsubscribe function), so the page's callbacks keep working.
//   open                      -> chat_open
//   close                     -> nothing (closing the window does not end a conversation)
//   unreadMessages(count)     -> agent message on each rise of the count, from 0
// The messaging widget documents no event for the visitor's messages,
// agent availability, the end of a conversation or its rating: no
// chat_started (first response time only when the page reports chats with
// `supportKpi('chat', …)`), no presence, resolution, FCR or CSAT. Replies
// read in the open window never raise the unread count.
import { rises, safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "iframe#launcher";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (event, handler) => w.zE("messenger:on", event, handler);
  on("open", safe(() => sink.open()));
  on("unreadMessages", rises(() => sink.agentMessage()));
}
