// Freshchat web messenger: `fcWidget.on(event, callback)`; subscriptions are
// additive, so the page's own callbacks keep working.
//   widget:opened            -> chat_open
//   message:sent             -> customer message; the first starts the chat
//   message:received         -> agent message
//   conversation:resolved    -> chat_ended {resolved: true} (FCR counts it unless transferred or escalated)
// csat:received / csat:updated are named but their payload (where a rating
// would be) is not documented: no CSAT. No documented event for agent
// availability, transfers or escalations: no presence, transfer or escalation
// rate (a resolved chat counts as first-contact resolution).
import { safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#fc_frame";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (event, handler) => w.fcWidget.on(event, safe(handler));
  on("widget:opened", () => sink.open());
  on("message:sent", () => sink.customerMessage());
  on("message:received", () => sink.agentMessage());
  on("conversation:resolved", () => sink.ended({ resolved: true }));
}
