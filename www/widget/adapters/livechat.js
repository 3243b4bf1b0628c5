// LiveChat (text.com) Chat Widget JS API v2: `LiveChatWidget.on(event, cb)`.
// Listeners are additive, so the page's own handlers keep working.
//   availability_changed {availability: "online"|"offline"} -> availability
//   visibility_changed   {visibility: "maximized"|…}        -> chat_open
//   new_event            {author: {type: "customer"|"agent"}, type: "message"|…} -> messages
//   customer_status_changed {status: "chatting"|"browsing"|…} -> ended when chatting stops
//   rating_submitted     "good"|"bad"|"none"                 -> CSAT 5 / 1
// It cannot tell resolved or transferred chats apart (no FCR, escalation, transfer).
import { safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#chat-widget-container";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (event, handler) => w.LiveChatWidget.on(event, safe(handler));
  let chatting = false;
  on("availability_changed", (data) => sink.availability(data?.availability === "online"));
  on("visibility_changed", (data) => data?.visibility === "maximized" && sink.open());
  on("new_event", (event) => {
    if (event?.type !== "message") return;
    if (event.author?.type === "customer") sink.customerMessage();
    else if (event.author?.type === "agent") sink.agentMessage();
  });
  on("customer_status_changed", (data) => {
    if (data?.status === "chatting") chatting = true;
    else if (chatting && data?.status === "browsing") {
      chatting = false;
      sink.ended();
    }
  });
  on("rating_submitted", (rating) => {
    if (rating === "good") sink.survey("csat", 5);
    else if (rating === "bad") sink.survey("csat", 1);
  });
}
