// A deterministic stream of page and chat events for the ingest benchmarks,
// the same in Node and in Chromium.

/** Monday 2026-11-23 08:00 UTC. */
const START = Date.UTC(2026, 10, 23, 8);

/** `count` events a few seconds apart: page views, launcher and chat events. */
export function benchEvents(count, seed = 1) {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const events = new Array(count);
  let ts = START;
  for (let i = 0; i < count; i++) {
    ts += Math.floor(random() * 20_000);
    const r = random();
    if (r < 0.4) events[i] = { type: "page_view", ts, support: random() < 0.5 };
    else {
      const type =
        r < 0.6 ? "chat_button_impression" : r < 0.65 ? "chat_button_click" : r < 0.69 ? "chat_open" : r < 0.73 ? "chat_started" : r < 0.86 ? "customer_message" : "agent_message";
      events[i] = { type, ts };
    }
  }
  return events;
}

/** The engine configuration both engines use: UTC, opening hours on weekdays 09:00-17:00. */
export const BENCH_CONFIG = {
  siteKey: "bench",
  timeZone: "UTC",
  openingHours: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((day) => [day, [["09:00", "17:00"]]])),
};
