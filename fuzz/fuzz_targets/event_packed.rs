//! `Event::from_packed` (the JS `trackBatch` fast path: type code, `ts` and
//! two fields as numbers) against the JSON path: for any four numbers it
//! must give exactly the event `Event::decode` gives for the same event
//! written as JSON, and `None` where that refuses it.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use support_kpi::Event;
use support_kpi::time::{EARLIEST_TS, LATEST_TS};
use support_kpi_fuzz::config;

/// Type names by code, as in the protocol's table.
const TYPES: [&str; 12] = [
    "page_view",
    "chat_button_impression",
    "chat_button_click",
    "chat_open",
    "availability",
    "chat_started",
    "customer_message",
    "agent_message",
    "chat_ended",
    "survey",
    "conversion",
    "tag",
];

/// A number the packer might produce, or one it should never pass on.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Num {
    Small(i8),
    Half(i8),
    Special(Special),
    Any(f64),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Special {
    NegZero,
    Nan,
    Infinity,
    NegInfinity,
    Huge,
    Tiny,
}

impl Num {
    fn value(self) -> f64 {
        match self {
            Num::Small(n) => f64::from(n),
            Num::Half(n) => f64::from(n) + 0.5,
            Num::Special(Special::NegZero) => -0.0,
            Num::Special(Special::Nan) => f64::NAN,
            Num::Special(Special::Infinity) => f64::INFINITY,
            Num::Special(Special::NegInfinity) => f64::NEG_INFINITY,
            Num::Special(Special::Huge) => 9.3e18,
            Num::Special(Special::Tiny) => 5e-324,
            Num::Any(x) => x,
        }
    }
}

/// A timestamp near the accepted range's edges, inside it, or anything.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Ts {
    AfterEarliest(u32, u16),
    BeforeLatest(u32, u16),
    Other(Num),
}

impl Ts {
    fn value(self) -> f64 {
        let fraction = |f: u16| f64::from(f) / 65_536.0;
        match self {
            Ts::AfterEarliest(ms, f) => EARLIEST_TS as f64 - 2.0 + f64::from(ms) + fraction(f),
            Ts::BeforeLatest(ms, f) => LATEST_TS as f64 + 2.0 - f64::from(ms) - fraction(f),
            Ts::Other(n) => n.value(),
        }
    }
}

/// A JSON number for `x`, or `null` when JSON has none (as `JSON.stringify` writes it).
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::from("null") }
}

/// A field that must be a boolean: 0 and 1 are the packer's false and true.
fn flag(x: f64) -> String {
    if x == 0.0 || x == 1.0 { (x == 1.0).to_string() } else { number(x) }
}

/// The same event as JSON text.
fn as_json(code: f64, ts: f64, a: f64, b: f64) -> String {
    let name = (code >= 0.0 && code.fract() == 0.0).then(|| TYPES.get(code as usize).copied()).flatten();
    let type_text = name.map_or_else(|| number(code), |n| format!("\"{n}\""));
    let fields = match name {
        Some("page_view") => format!(r#","support":{}"#, flag(a)),
        Some("availability") => format!(r#","online":{}"#, flag(a)),
        Some("chat_ended") => {
            let resolved = if a == -1.0 { String::new() } else { format!(r#","resolved":{}"#, flag(a)) };
            let bits = (b.fract() == 0.0 && (0.0..4.0).contains(&b)).then_some(b as u8);
            match bits {
                Some(bits) => format!(r#"{resolved},"transferred":{},"escalated":{}"#, bits & 1 != 0, bits & 2 != 0),
                None => format!(r#"{resolved},"transferred":{}"#, number(b)),
            }
        }
        Some("survey") => {
            let kind = (a.fract() == 0.0 && (0.0..3.0).contains(&a)).then(|| ["csat", "nps", "ces"][a as usize]);
            let kind = kind.map_or_else(|| number(a), |k| format!("\"{k}\""));
            format!(r#","kind":{kind},"score":{}"#, number(b))
        }
        _ => String::new(),
    };
    format!(r#"{{"type":{type_text},"ts":{}{fields}}}"#, number(ts))
}

fuzz_target!(|input: (Num, Ts, Num, Num)| {
    let (code, ts, a, b) = (input.0.value(), input.1.value(), input.2.value(), input.3.value());
    let packed = Event::from_packed(code, ts, a, b);
    let json = as_json(code, ts, a, b);
    let decoded = Event::decode(json.as_bytes(), &config());
    assert_eq!(packed, decoded.as_ref().ok().copied(), "from_packed({code}, {ts}, {a}, {b}) vs {json}: {decoded:?}");
});
