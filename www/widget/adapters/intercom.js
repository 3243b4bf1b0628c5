// Intercom Messenger JavaScript API: `Intercom('onShow' | 'onHide' |
// 'onUnreadCountChange', fn)`. The calls register functions (no replacement
// is documented) and queue on the `window.Intercom` stub of the install
// snippet until the Messenger loads, so the adapter just registers its own.
//   onShow                       -> chat_open
//   onHide                       -> nothing (closing the window does not end a conversation)
//   onUnreadCountChange(count)   -> agent message on each rise of the count, from 0
//                                   (documented as called when the count changes)
// Intercom documents no event for the visitor's messages, availability, the
// end of a conversation or its rating: no chat_started (hence no first
// response time unless the page reports chats with `supportKpi('chat', …)`),
// no presence, resolution, FCR or CSAT. Replies read while the Messenger is
// open never raise the unread count, so agent messages are a lower bound.
import { rises, safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = '.intercom-lightweight-app-launcher, iframe[name="intercom-launcher-frame"]';

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  w.Intercom("onShow", safe(() => sink.open()));
  w.Intercom("onUnreadCountChange", rises(() => sink.agentMessage()));
}
