// Crisp chatbox SDK: `$crisp.push(["on", event, callback])`, async-safe (the
// `$crisp` array queues until the chatbox loads). Crisp keeps ONE callback per
// event (a second "on" replaces the first; "off" takes no callback), so the
// adapter owns these four slots and calls the page's callback from them: the
// ones still queued in the array when the widget starts, and every one pushed
// later ("on"/"off" of these events are taken out of `push` on whichever
// `$crisp` is installed, now or when Crisp replaces it).
//   chat:opened                           -> chat_open
//   message:sent     (visitor's message)  -> customer message; the first starts the chat
//   message:received (operator's message) -> agent message
//   website:availability:changed (boolean) and $crisp.is("website:available") -> availability
// Crisp documents no page event for the end of a conversation or its rating:
// no resolution time, FCR, transfer or CSAT (abandonment only by timeout).
// Limit: a callback for one of these events that the page registered after
// Crisp had loaded and before the widget started cannot be read back, so it
// is replaced.
import { after, hold, safe } from "./hooks.js";

/** CSS selector of the vendor's launcher, for impressions and clicks. */
export const launcher = "#crisp-chatbox-button";

/** Subscribes to the vendor's events (see above) and feeds `sink`. */
export function attach(w, sink) {
  const ours = {
    "chat:opened": () => sink.open(),
    "message:sent": () => sink.customerMessage(),
    "message:received": () => sink.agentMessage(),
    "website:availability:changed": (online) => sink.availability(online === true),
  };
  const page = {};
  /** Keeps a page's "on"/"off" of one of our events; true when `item` was one. */
  const take = (item) => {
    const [verb, event, callback] = Array.isArray(item) ? item : [];
    if ((verb !== "on" && verb !== "off") || !Object.hasOwn(ours, event)) return false;
    page[event] = verb === "on" ? callback : undefined;
    return true;
  };
  if (Array.isArray(w.$crisp)) w.$crisp.forEach(take);
  for (const event in ours) w.$crisp.push(["on", event, after(() => page[event], ours[event])]);

  const wrappers = new WeakSet();
  const wrapPush = (push) => {
    if (typeof push !== "function" || wrappers.has(push)) return push;
    const wrapper = function (...items) {
      const rest = items.filter((item) => !take(item));
      return rest.length ? push.apply(this, rest) : undefined;
    };
    wrappers.add(wrapper);
    return wrapper;
  };
  hold(w, "$crisp", (value) => {
    if (value && typeof value === "object") hold(value, "push", wrapPush);
    return value;
  });
  if (typeof w.$crisp.is === "function") safe(() => sink.availability(w.$crisp.is("website:available") === true))();
}
