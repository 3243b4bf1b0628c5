//! Native ingest throughput, for `scripts/bench.sh`: events per second on one
//! core for validated events (`Engine::track`) and for JSON text
//! (`track_batch_json`, decoding included). Prints one JSON line.

use std::time::Instant;
use support_kpi::{Event, EventKind, NativeEngine};

const EVENTS: usize = 2_000_000;
const CONFIG: &str = r#"{"siteKey":"bench","openingHours":{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]]}}"#;

/// A deterministic mix of page and chat events, a few seconds apart.
fn events(count: usize) -> Vec<Event> {
    let mut state: u64 = 1;
    let mut next = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u32
    };
    let mut ts = 1_795_420_800_000i64;
    (0..count)
        .map(|_| {
            ts += i64::from(next() % 20_000);
            let kind = match next() % 100 {
                0..40 => EventKind::PageView { support: next() % 2 == 0 },
                40..60 => EventKind::ChatButtonImpression,
                60..65 => EventKind::ChatButtonClick,
                65..69 => EventKind::ChatOpen,
                69..73 => EventKind::ChatStarted,
                73..86 => EventKind::CustomerMessage,
                _ => EventKind::AgentMessage,
            };
            Event { ts, kind }
        })
        .collect()
}

fn to_json(event: &Event) -> String {
    let (name, extra) = match event.kind {
        EventKind::PageView { support } => ("page_view", format!(r#","support":{support}"#)),
        EventKind::ChatButtonImpression => ("chat_button_impression", String::new()),
        EventKind::ChatButtonClick => ("chat_button_click", String::new()),
        EventKind::ChatOpen => ("chat_open", String::new()),
        EventKind::ChatStarted => ("chat_started", String::new()),
        EventKind::CustomerMessage => ("customer_message", String::new()),
        _ => ("agent_message", String::new()),
    };
    format!(r#"{{"type":"{name}","ts":{}{extra}}}"#, event.ts)
}

fn main() {
    let events = events(EVENTS);
    let mut engine = NativeEngine::from_config_json(CONFIG.as_bytes()).expect("config");
    let start = Instant::now();
    for event in &events {
        engine.track(event);
    }
    let typed = EVENTS as f64 / start.elapsed().as_secs_f64();

    let batches: Vec<String> = events
        .chunks(1000)
        .map(|chunk| format!("[{}]", chunk.iter().map(to_json).collect::<Vec<_>>().join(",")))
        .collect();
    let mut engine = NativeEngine::from_config_json(CONFIG.as_bytes()).expect("config");
    let start = Instant::now();
    for batch in &batches {
        engine.track_batch_json(batch.as_bytes()).expect("valid batch");
    }
    let json = EVENTS as f64 / start.elapsed().as_secs_f64();
    println!(r#"{{"events":{EVENTS},"typed_events_per_s":{typed:.0},"json_events_per_s":{json:.0}}}"#);
}
