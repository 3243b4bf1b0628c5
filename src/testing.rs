//! Helpers for the engine tests: build an engine, feed events, read KPIs.

use crate::{Engine, NativeEngine};
use alloc::format;
use alloc::string::String;
use serde_json::Value;

/// 2026-11-23T00:00:00Z, a Monday.
pub const MONDAY: i64 = 1_795_392_000_000;

/// `MONDAY` plus whole and fractional minutes.
pub fn at(minutes: f64) -> i64 {
    MONDAY + (minutes * 60_000.0) as i64
}

/// An engine for the given config members (`siteKey` is added).
pub fn engine(config_members: &str) -> NativeEngine {
    let sep = if config_members.is_empty() { "" } else { "," };
    let json = format!(r#"{{"siteKey":"test"{sep}{config_members}}}"#);
    Engine::from_config_json(json.as_bytes()).expect("valid test config")
}

/// One event as JSON: `kind` at `ts`, with extra members such as `"support":true`.
pub fn event(kind: &str, ts: i64, members: &str) -> String {
    let sep = if members.is_empty() { "" } else { "," };
    format!(r#"{{"type":"{kind}","ts":{ts}{sep}{members}}}"#)
}

/// Tracks each event, failing the test on a rejected one.
pub fn feed(engine: &mut NativeEngine, events: &[String]) {
    for e in events {
        engine.track_json(e.as_bytes()).unwrap_or_else(|error| panic!("{e} rejected: {}", error.message()));
    }
}

/// The engine's KPI object.
pub fn kpis(engine: &NativeEngine) -> Value {
    serde_json::from_str(&engine.kpis_json()).expect("KPI JSON parses")
}

/// A ratio's `[num, den]`.
pub fn ratio(kpis: &Value, family: &str, name: &str) -> [i64; 2] {
    let r = &kpis[family][name];
    [r["num"].as_i64().expect("num"), r["den"].as_i64().expect("den")]
}

/// Asserts that `actual` is within the sketch's relative error of `expected`.
pub fn assert_close(actual: &Value, expected: f64) {
    let actual = actual.as_f64().unwrap_or_else(|| panic!("{actual} is not a number"));
    let bound = expected.abs() * crate::sketch::RELATIVE_ERROR + 1e-6;
    assert!((actual - expected).abs() <= bound, "{actual} is not within {bound} of {expected}");
}
