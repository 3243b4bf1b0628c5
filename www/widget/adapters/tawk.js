// tawk.to JavaScript API: callbacks are properties of `Tawk_API`
// (`Tawk_API.onChatEnded = fn`), one function each, read by tawk.to when the
// event happens. The adapter chains onto each property it uses, so the page's
// function, assigned before or after the widget attached, still runs first
// with the same arguments and `this`; reading the property returns the chain.
//   onLoad + getStatus() (also on attaching), onStatusChange("online"|"away"|"offline")
//                                   -> availability (online only when "online")
//   onChatMaximized                 -> chat_open
//   onChatMessageVisitor            -> customer message; the first starts the chat
//   onChatMessageAgent              -> agent message
//   onChatEnded                     -> chat_ended, outcome unknown
//   onChatSatisfaction(1 | -1)      -> CSAT 5 / 1 (like LiveChat's good/bad); 0, "neutral", is skipped
// onChatStarted is not used: chat_started is the visitor's first message, and
// tawk.to also starts chats from the agent's side. No documented event tells
// resolved or transferred chats apart: no FCR or resolution time, and the
// escalation and transfer rates of its ended chats read 0.
import { chain, safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = 'iframe[title="chat widget"]';

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const api = w.Tawk_API;
  const status = (value) => typeof value === "string" && sink.availability(value === "online");
  const currentStatus = safe(() => typeof api.getStatus === "function" && status(api.getStatus()));
  const on = (key, handler) => chain(api, key, handler);
  on("onLoad", currentStatus);
  on("onStatusChange", status);
  on("onChatMaximized", () => sink.open());
  on("onChatMessageVisitor", () => sink.customerMessage());
  on("onChatMessageAgent", () => sink.agentMessage());
  on("onChatEnded", () => sink.ended());
  on("onChatSatisfaction", (value) => {
    if (value === 1) sink.survey("csat", 5);
    else if (value === -1) sink.survey("csat", 1);
  });
  currentStatus();
}
