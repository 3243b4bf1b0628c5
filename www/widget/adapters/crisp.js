// Crisp chatbox SDK: `$crisp.push(["on", event, callback])`, async-safe (the
// `$crisp` array queues until the chatbox loads). Crisp keeps ONE callback per
// event, so the adapter takes over the five slots it uses and calls the
// page's callback of the moment from them (crisp-callbacks.js records it).
//   chat:opened                           -> chat_open
//   message:sent     (visitor's message)  -> customer message; the first starts the chat
//   message:received (operator's message) -> agent message
//   website:availability:changed (boolean) and $crisp.is("website:available"),
//   read when attaching to the loaded chatbox or at session:loaded -> availability
// Crisp documents no page event for the end of a conversation or its rating:
// no resolution time, FCR, transfer or CSAT (abandonment only by timeout).
import { after, safe } from "./hooks.js";
import { watchCrisp } from "./crisp-callbacks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#crisp-chatbox-button";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const record = watchCrisp(w);
  // Not async-safe: only the loaded chatbox has `is`.
  const available = () => typeof w.$crisp.is === "function" && sink.availability(w.$crisp.is("website:available") === true);
  const ours = {
    "session:loaded": available,
    "chat:opened": () => sink.open(),
    "message:sent": () => sink.customerMessage(),
    "message:received": () => sink.agentMessage(),
    "website:availability:changed": (online) => sink.availability(online === true),
  };
  for (const event in ours) {
    const both = after(() => record.page[event], ours[event]);
    record.ours.add(both);
    w.$crisp.push(["on", event, both]);
    record.owned.add(event);
  }
  safe(available)();
}
