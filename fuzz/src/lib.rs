//! What the fuzz targets share: the fixed engine configuration and the
//! checks every KPI object and report must pass.

use serde_json::Value;
use support_kpi::{Config, NativeEngine, Report, kpis_json};

/// The configuration of the event and state targets: goals, tags (with
/// `complaint`), opening hours, a DST time zone, a short session timeout.
pub const CONFIG_JSON: &str = r#"{"siteKey":"fuzz","timeZone":"Europe/Amsterdam",
 "openingHours":{"mon":[["09:00","17:30"]],"tue":[["09:00","12:00"],["13:00","17:30"]],"sat":[["22:00","24:00"]],"sun":[["00:00","02:00"]]},
 "serviceLevelSeconds":60,"goals":["purchase","signup"],"tags":["complaint","vip"],
 "attributionDays":7,"sessionTimeoutMinutes":30}"#;

/// [`CONFIG_JSON`], decoded.
pub fn config() -> Config {
    Config::decode(CONFIG_JSON.as_bytes()).expect("the fuzz configuration is valid")
}

/// A fresh engine for [`CONFIG_JSON`].
pub fn engine() -> NativeEngine {
    NativeEngine::new(config()).expect("the fuzz configuration has a known time zone")
}

/// Parses a KPI object with serde_json and checks its shape: ratios have a
/// value exactly when their denominator is positive, distributions have
/// statistics exactly when they have a count, quantiles are ordered, the
/// hour tables are complete. With `from_events` (an engine fed only valid
/// events) every count must also be non-negative.
pub fn check_kpis(text: &str, from_events: bool) -> Value {
    let kpis: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("KPI JSON does not parse ({e}): {text}"));
    for family in ["engagement", "availability", "speed", "prevention", "friendliness", "contribution", "productivity"]
    {
        assert!(kpis[family].is_object(), "KPI object lacks {family}: {text}");
    }
    assert_eq!(kpis["byHour"].as_array().map(Vec::len), Some(24), "byHour: {text}");
    for matrix in kpis["byWeekdayHour"].as_object().expect("byWeekdayHour").values() {
        let days = matrix.as_array().expect("a weekday matrix");
        assert_eq!(days.len(), 7);
        assert!(days.iter().all(|day| day.as_array().map(Vec::len) == Some(24)));
    }
    // Ratios of noised counts are reported as computed: NPS may then leave −100…100.
    let noised = !kpis["noise"].is_null();
    walk(&kpis, "", from_events, noised, text);
    kpis
}

fn walk(value: &Value, key: &str, from_events: bool, noised: bool, text: &str) {
    match value {
        Value::Object(members) => {
            let mut keys: Vec<&str> = members.keys().map(String::as_str).collect();
            keys.sort_unstable();
            if keys == ["den", "num", "value"] {
                check_ratio(members, key, from_events, text);
                return;
            }
            if keys == ["count", "mean", "p50", "p90", "p99"] {
                check_distribution(members, key, text);
            }
            if let Some(nps) = members.get("value").and_then(Value::as_f64).filter(|_| key == "nps" && !noised) {
                assert!((-100.0..=100.0).contains(&nps), "nps.value {nps} out of range: {text}");
            }
            for (name, member) in members {
                walk(member, name, from_events, noised, text);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(item, key, from_events, noised, text)),
        // Every count and statistic of an engine's own KPIs is >= 0; only NPS (checked above) may be negative.
        Value::Number(number) if from_events && key != "value" => {
            assert!(number.as_f64().is_some_and(|n| n >= 0.0), "{key}: {number} is negative: {text}")
        }
        _ => {}
    }
}

fn check_ratio(ratio: &serde_json::Map<String, Value>, key: &str, from_events: bool, text: &str) {
    let num = ratio["num"].as_f64().unwrap_or_else(|| panic!("{key}.num is not a number: {text}"));
    let den = ratio["den"].as_i64().unwrap_or_else(|| panic!("{key}.den is not an integer: {text}"));
    if from_events {
        assert!(num >= 0.0 && den >= 0, "{key}: negative {num}/{den}: {text}");
    }
    match ratio["value"].as_f64() {
        None => assert!(ratio["value"].is_null() && den <= 0, "{key}: value missing with den {den}: {text}"),
        Some(value) => {
            assert!(den > 0, "{key}: a value with den {den}: {text}");
            let exact = num / den as f64;
            assert!(
                (value - exact).abs() <= 1e-6 * exact.abs().max(1.0),
                "{key}: value {value} is not {num}/{den}: {text}"
            );
        }
    }
}

fn check_distribution(stats: &serde_json::Map<String, Value>, key: &str, text: &str) {
    let count = stats["count"].as_i64().unwrap_or_else(|| panic!("{key}.count is not an integer: {text}"));
    let quantiles: Vec<Option<f64>> = ["p50", "p90", "p99"].iter().map(|q| stats[*q].as_f64()).collect();
    if count <= 0 {
        assert!(stats["mean"].is_null() && quantiles.iter().all(Option::is_none), "{key}: stats without count: {text}");
        return;
    }
    let [Some(p50), Some(p90), Some(p99)] = quantiles[..] else {
        panic!("{key}: count {count} but a null quantile: {text}");
    };
    assert!(p50 <= p90 && p90 <= p99, "{key}: quantiles out of order: {text}");
    assert!(stats["mean"].is_number(), "{key}: count {count} but no mean: {text}");
}

/// Checks that `report` survives its own JSON: `decode(encode(r)) == r`,
/// and that its KPI object is well-formed.
pub fn check_report(report: &Report, from_events: bool) {
    let text = report.encode();
    let back = Report::decode(text.as_bytes())
        .unwrap_or_else(|e| panic!("encoded report does not decode ({}): {text}", e.message()));
    assert_eq!(back, *report, "decode(encode(r)) != r for {text}");
    check_kpis(&kpis_json(report), from_events);
}

/// Checks that an error names its field and a reason: `field: reason`.
pub fn check_error(error: &support_kpi::Error) {
    let message = error.message();
    let reason = message.strip_prefix(error.field()).and_then(|rest| rest.strip_prefix(": "));
    assert!(reason.is_some_and(|r| !r.is_empty()), "an error without a reason: {message:?}");
}
