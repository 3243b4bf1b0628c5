// Chatwoot website widget SDK: window events `chatwoot:<name>` (additive
// `addEventListener`, so the page's own listeners keep working).
//   chatwoot:opened                     -> chat_open
//   chatwoot:on-message, detail.message_type 0 (incoming, the contact)  -> customer message;
//                                         the first starts the chat
//   chatwoot:on-message, detail.message_type 1 (outgoing, an agent)     -> agent message
//   (activity 2 and template 3 messages are neither; a message sent again
//   with the same id, as Chatwoot does on updates, counts once)
// chatwoot:ready and chatwoot:on-start-conversation (the "start conversation"
// button, before any message) map to nothing: the chat starts with the
// contact's first message. The SDK documents no window event for agent
// availability, resolution or ratings: no presence, resolution time, FCR or CSAT.
import { safe } from "./hooks.js";

const INCOMING = 0;
const OUTGOING = 1;

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = ".woot-widget-bubble";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const on = (name, handler) => w.addEventListener(`chatwoot:${name}`, safe(handler));
  const seen = new Set();
  on("opened", () => sink.open());
  on("on-message", (event) => {
    const { id, message_type: type } = event.detail ?? {};
    if (id != null && seen.has(id)) return;
    seen.add(id);
    if (type === INCOMING) sink.customerMessage();
    else if (type === OUTGOING) sink.agentMessage();
  });
}
