// Freshchat web messenger: `fcWidget.on(event, callback)`; subscriptions are
// additive, so the page's own callbacks keep working. The messenger accepts
// only the event names it lists and silently ignores any other.
//   widget:opened            -> chat_open
//   message:sent             -> customer message; the first starts the chat
//   message:received         -> agent message
// No event of that list tells that a conversation ended or was resolved
// (there is no `conversation:resolved`): no resolution time or FCR; a chat
// closes when the visitor leaves or the session times out. csat:received /
// csat:updated are named but their payload (where a rating would be) is not
// documented: no CSAT. No documented event for agent availability, transfers
// or escalations: no presence, transfer or escalation rate.
import { safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#fc_frame";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (event, handler) => w.fcWidget.on(event, safe(handler));
  on("widget:opened", () => sink.open());
  on("message:sent", () => sink.customerMessage());
  on("message:received", () => sink.agentMessage());
}
