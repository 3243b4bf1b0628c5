// Fast path of KpiEngine.trackBatch (npm package only): packs well-formed
// events into a Float64Array — four numbers each: type code, ts and two
// fields — so the engine applies them without serialising JSON per event.
// Anything this packer does not recognise exactly (another shape, an extra
// key, a conversion or tag with its names) returns undefined, and the engine
// then takes the whole batch through its JSON path, which gives the usual
// errors. The engine validates the packed values itself.

// BEGIN GENERATED codes: edit src/schema/ or src/members/ and run `cargo run --example schema -- --write`
/** Type codes: the positions of the event types in `EVENT_TYPES` (src/schema/mod.rs), as src/event/packed.rs decodes them. */
const CODES = {
  page_view: [0, ["support"], []],
  chat_button_impression: [1, [], []],
  chat_button_click: [2, [], []],
  chat_open: [3, [], []],
  availability: [4, ["online"], []],
  chat_started: [5, [], []],
  customer_message: [6, [], []],
  agent_message: [7, [], []],
  chat_ended: [8, [], ["resolved", "transferred", "escalated"]],
  survey: [9, ["kind", "score"], []],
};
// END GENERATED codes
const KINDS = { csat: 0, nps: 1, ces: 2 };

/** The packed batch, or undefined when an event needs the JSON path. */
export function packEvents(events) {
  if (!Array.isArray(events)) return undefined;
  const packed = new Float64Array(events.length * 4);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event === null || typeof event !== "object" || Object.getPrototypeOf(event) !== Object.prototype) return undefined;
    if (!Object.hasOwn(CODES, event.type) || typeof event.ts !== "number") return undefined;
    const entry = CODES[event.type];
    const [code, required, optional] = entry;
    let keys = 0;
    for (const key in event) {
      if (key !== "type" && key !== "ts" && !required.includes(key) && !optional.includes(key)) return undefined;
      keys++;
    }
    let present = 2 + required.length;
    let a = 0;
    let b = 0;
    if (code === 0 || code === 4) {
      const flag = code === 0 ? event.support : event.online;
      if (typeof flag !== "boolean") return undefined;
      a = flag ? 1 : 0;
    } else if (code === 8) {
      for (const key of optional) {
        if (key in event) {
          if (typeof event[key] !== "boolean") return undefined;
          present++;
        }
      }
      a = event.resolved === undefined ? -1 : event.resolved ? 1 : 0;
      b = (event.transferred ? 1 : 0) + (event.escalated ? 2 : 0);
    } else if (code === 9) {
      if (!Object.hasOwn(KINDS, event.kind) || typeof event.score !== "number") return undefined;
      a = KINDS[event.kind];
      b = event.score;
    }
    if (keys !== present) return undefined;
    packed.set([code, event.ts, a, b], i * 4);
  }
  return packed;
}
