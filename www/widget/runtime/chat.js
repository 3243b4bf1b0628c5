// Turns chat activity — from a vendor adapter or `supportKpi('chat', …)` —
// into engine events. The first customer message of a conversation is
// `chat_started`; a conversation is over when it ends, when the visitor leaves
// or after the session timeout without activity. Its state (and whether the
// vendor reports availability) travels with the engine across pages.
//
// `supportKpi('chat', 'started')` is the page saying "the visitor's first
// message of a new conversation, now": it counts the chat and that message
// (an open conversation is closed first). A page that also reports that same
// message as `customer_message` may: the first `customer_message` after
// `started`, before any agent reply, is taken as that message and not
// counted again.
import { adapters } from "../adapters/index.js";

const DETECT_EVERY_MS = 250;
const DETECT_FOR_MS = 15_000;

/**
 * The chat side of the widget. `track(event)` feeds the engine; `state` is
 * `{ open, last, vendorAvailability }` restored from the previous page;
 * `onAdapter(vendor)` is called with the vendor's module (its `launcher`)
 * once one is found and attached.
 */
export function connectChat({ mode, timeoutMs, state, track, warn, onAdapter }) {
  let open = Boolean(state?.open) && Date.now() - (state?.last ?? 0) <= timeoutMs;
  let last = state?.last ?? 0;
  // Once a vendor reported availability, the engine keeps that state across
  // pages; the opening-hours schedule must not override it.
  let availabilityKnown = Boolean(state?.vendorAvailability);
  // `started` counted the first message; the page may report it once more.
  let firstReported = open && Boolean(state?.firstReported);
  const touch = () => (last = Date.now());
  /** The customer's first message of a new conversation. */
  const begin = () => {
    track({ type: "chat_started" });
    open = true;
    touch();
  };

  /** What adapters call; each method is one vendor-neutral fact. */
  const sink = {
    open: () => track({ type: "chat_open" }),
    click: () => track({ type: "chat_button_click" }),
    availability(online) {
      availabilityKnown = true;
      track({ type: "availability", online: Boolean(online) });
    },
    customerMessage() {
      const wasReported = firstReported;
      firstReported = false;
      if (!open || Date.now() - last > timeoutMs) return begin();
      if (wasReported) return void touch();
      track({ type: "customer_message" });
      touch();
    },
    agentMessage() {
      if (!open) return;
      firstReported = false;
      track({ type: "agent_message" });
      touch();
    },
    ended(outcome = {}) {
      if (!open) return;
      const fields = {};
      for (const key of ["resolved", "transferred", "escalated"]) {
        if (typeof outcome[key] === "boolean") fields[key] = outcome[key];
      }
      track({ type: "chat_ended", ...fields });
      open = false;
      firstReported = false;
      touch();
    },
    survey(kind, score) {
      track({ type: "survey", kind, score });
    },
  };

  const attach = async (adapter) => {
    try {
      const vendor = await adapter.load();
      vendor.attach(window, sink);
      onAdapter(vendor);
    } catch (error) {
      warn(`the ${adapter.name} adapter failed: ${error.message}`);
    }
  };
  let ready = Promise.resolve();
  if (mode !== "none" && mode !== "generic") {
    const candidates = mode === "auto" ? adapters : adapters.filter((a) => a.name === mode);
    const startedAt = Date.now();
    const present = (adapter) => {
      try {
        return adapter.detect(window);
      } catch {
        return false; // an odd global on the page is not that vendor
      }
    };
    const detect = () => {
      const found = candidates.find(present);
      if (found) return attach(found);
      if (Date.now() - startedAt < DETECT_FOR_MS) setTimeout(detect, DETECT_EVERY_MS);
      else if (mode !== "auto") warn(`data-chat="${mode}" but that chat vendor's API never appeared`);
      return undefined;
    };
    ready = detect() ?? ready;
  }

  return {
    /** Resolves once a vendor already on the page is attached (at once when none is). */
    ready,
    sink,
    /** True once a chat vendor has reported availability. */
    hasAvailability: () => availabilityKnown,
    /** The engine closed the chat (the visitor left): the next message starts a new one. */
    closed() {
      open = false;
      firstReported = false;
    },
    /** State to carry to the next page. */
    state: () => ({ open, last, vendorAvailability: availabilityKnown, firstReported }),
    /**
     * `supportKpi('chat', action, detail)`: open, click, started (the
     * first message of a new conversation; see the top of this file),
     * customer_message, agent_message, ended ({resolved, transferred,
     * escalated}), online, offline, rating ({kind, score}).
     */
    command(action, detail) {
      const actions = {
        open: sink.open,
        click: sink.click,
        started() {
          begin();
          firstReported = true;
        },
        customer_message: sink.customerMessage,
        agent_message: sink.agentMessage,
        ended: () => sink.ended(detail),
        online: () => sink.availability(true),
        offline: () => sink.availability(false),
        rating: () => sink.survey(detail?.kind, detail?.score),
      };
      if (actions[action]) actions[action]();
      else warn(`supportKpi('chat', "${action}") is not one of ${Object.keys(actions).join(", ")}`);
    },
  };
}
