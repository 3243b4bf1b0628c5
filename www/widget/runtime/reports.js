// Applies the report policy (policy.js) to this page: the session timeout,
// the page being hidden, left, shown again or back online. It closes the
// chat, sends or drops the report and stores the state as the policy
// decides.
import { decide } from "./policy.js";
import { guard } from "./safe.js";

/**
 * The reports of `session`, sent through `reporter`; the state goes to the
 * next page or tab through `handover`, in `store`.
 */
export function createReports({ session, reporter, handover, store, timeoutMs, warn }) {
  let chat = null;
  let idleTimer = 0;
  let lifecycle = [];

  /** Applies the policy's decision on `event`; `facts` are what the page knows about it. */
  const apply = (event, facts = {}) => {
    const decision = decide(event, { now: Date.now(), stored: store.available, timeoutMs, ...session.times(), ...facts });
    if (decision.close !== undefined) {
      session.engine.closeChat(decision.close);
      chat?.closed();
    }
    if (decision.report) {
      const body = session.takeReport();
      if (body && decision.report === "send") reporter.send(body);
      if (body && decision.report === "exit") reporter.sendOnExit(body);
    }
    if (decision.save) handover.save(session.record(chat.state()));
    if (decision.flush) reporter.flush();
  };

  return {
    /** The page started: reports a session that ended while no page was open. */
    start: () => apply("start"),
    /** An event was counted: the session times out `timeoutMs` from now. */
    touched() {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => apply("timeout"), timeoutMs);
    },
    /** Starts watching the page's lifecycle; `isLeavingSite()` tells a same-site navigation from leaving. */
    watch(chatSide, isLeavingSite) {
      chat = chatSide;
      const visible = () => apply("visible", { reclaimed: handover.reclaim() });
      lifecycle = [
        [document, "visibilitychange", () => (document.visibilityState === "hidden" ? apply("hidden", { claimed: handover.claimed() }) : visible())],
        [window, "pagehide", () => apply("pagehide", { leavingSite: isLeavingSite(), claimed: handover.claimed() })],
        [window, "pageshow", (event) => event.persisted && visible()],
        [window, "online", () => apply("online", { visible: document.visibilityState === "visible" })],
      ].map(([target, name, handler]) => [target, name, guard(handler, warn)]);
      for (const [target, name, handler] of lifecycle) target.addEventListener(name, handler);
    },
    /** Sends the report now (`supportKpi('flush')`). */
    flush: () => apply("flush"),
    /** Stops the timer and every listener (opt-out). */
    stop() {
      clearTimeout(idleTimer);
      for (const [target, name, handler] of lifecycle) target.removeEventListener(name, handler);
    },
  };
}
