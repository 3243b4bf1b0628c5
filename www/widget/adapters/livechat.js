// LiveChat (text.com) Chat Widget JS API: `LiveChatWidget.on(event, cb)`.
// Listeners are additive, so the page's own handlers keep working; the
// tracking-code stub queues them until the widget has loaded.
//   ready {state: {availability}, customerData: {status}} -> availability at
//        load (called at once when subscribed after the widget loaded, so it
//        is read whichever loads first); status "chatting" is a chat going on
//   availability_changed {availability: "online"|"offline"} -> availability
//   visibility_changed   {visibility: "maximized"|…}        -> chat_open
//   new_event            {author: {type: "customer"|"agent"}, type: "message"} -> messages
//                        (greetings, the automated invitations, are not agent replies)
//   customer_status_changed {status: "chatting"|"browsing"|…} -> ended when chatting stops
//   rating_submitted     "good"|"bad"|"none"                 -> CSAT 5 / 1 ("none" cancels
//                        a rating and is skipped)
// It cannot tell resolved or transferred chats apart (no FCR, escalation, transfer).
// `LiveChatWidget.get("state")` is not used: it throws before the widget has
// loaded, and `ready` gives the same state in every load order.
import { safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#chat-widget-container";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (event, handler) => w.LiveChatWidget.on(event, safe(handler));
  let chatting = false;
  const availability = (data) => {
    const value = data?.availability;
    if (value === "online" || value === "offline") sink.availability(value === "online");
  };
  on("ready", (data) => {
    availability(data?.state);
    if (data?.customerData?.status === "chatting") chatting = true;
  });
  on("availability_changed", availability);
  on("visibility_changed", (data) => data?.visibility === "maximized" && sink.open());
  on("new_event", (event) => {
    if (event?.type !== "message" || event.greeting) return;
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
