//! Every generated region (src/render/) is what the schema gives;
//! collector/openapi.json holds the KPI and report schemas the schema gives,
//! as the schema example writes them;
//! and the engine writes reports and KPI objects with exactly the members of
//! the schema's tables (src/members/report.rs, src/members/kpis.rs).

use serde_json::{Map, Value};
use std::collections::BTreeSet;
use support_kpi::members::kpis::{self, Kind, Kpi, SECTIONS, WEEK_MATRICES, camel};
use support_kpi::members::report::{self, MEMBERS, Shape};
use support_kpi::render::{COMMAND, openapi, regions};
use support_kpi::{NativeEngine, Report, ReportId};

#[test]
fn generated_regions_match_the_schema() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for region in regions() {
        let text = std::fs::read_to_string(root.join(region.path)).unwrap();
        let rendered = region.apply(&text).unwrap();
        if rendered != text {
            stale.push(format!("{} ({})", region.path, region.name));
        }
    }
    assert!(stale.is_empty(), "generated regions differ from src/schema/mod.rs: {stale:?}; run `{COMMAND}`");
}

#[test]
fn the_openapi_document_holds_the_schemas_of_the_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("collector/openapi.json");
    let text = std::fs::read_to_string(path).unwrap();
    let document: Value = serde_json::from_str(&text).unwrap();
    let mut stale = Vec::new();
    for (pointer, expected) in openapi::schemas() {
        let expected: Value = serde_json::from_str(&expected).unwrap_or_else(|e| panic!("{pointer}: {e}: {expected}"));
        if document.pointer(&pointer) != Some(&expected) {
            stale.push(format!("{pointer} must be {expected}"));
        }
    }
    assert!(
        stale.is_empty(),
        "collector/openapi.json differs from src/schema/:\n{}\nrun `{COMMAND}`",
        stale.join("\n")
    );
    assert!(openapi::rewrite(&text).unwrap() == text, "collector/openapi.json is not as `{COMMAND}` writes it");
    let properties = document.pointer("/components/schemas/Report/properties").and_then(Value::as_object).unwrap();
    let expected: BTreeSet<&str> = report::HEADER.iter().chain(MEMBERS.iter().map(|m| &m.name)).copied().collect();
    assert_eq!(properties.keys().map(String::as_str).collect::<BTreeSet<_>>(), expected, "Report's members");
}

/// An engine that counted something in every member of the report.
fn busy_engine() -> NativeEngine {
    let config = r#"{"siteKey":"acme","goals":["purchase"],"tags":["complaint"]}"#;
    let mut engine = NativeEngine::from_config_json(config.as_bytes()).unwrap();
    let start = 1_795_420_800_000_i64;
    let events = [
        r#""type":"availability","online":true"#,
        r#""type":"page_view","support":true"#,
        r#""type":"chat_button_impression""#,
        r#""type":"chat_button_click""#,
        r#""type":"chat_open""#,
        r#""type":"chat_started""#,
        r#""type":"agent_message""#,
        r#""type":"customer_message""#,
        r#""type":"agent_message""#,
        r#""type":"tag","name":"complaint""#,
        r#""type":"chat_ended","resolved":true,"escalated":false,"transferred":false"#,
        r#""type":"survey","kind":"csat","score":5"#,
        r#""type":"survey","kind":"nps","score":9"#,
        r#""type":"survey","kind":"ces","score":2"#,
        r#""type":"conversion","goal":"purchase","value":9.5"#,
        r#""type":"chat_started""#,
        r#""type":"chat_ended""#,
    ];
    for (i, event) in events.iter().enumerate() {
        let ts = start + i as i64 * 10_000;
        engine.track_json(format!(r#"{{{event},"ts":{ts}}}"#).as_bytes()).unwrap();
    }
    engine
}

fn keys(object: &Value) -> BTreeSet<&str> {
    object.as_object().unwrap_or_else(|| panic!("an object: {object}")).keys().map(String::as_str).collect()
}

#[test]
fn the_engine_writes_the_report_members_of_the_table() {
    let text = busy_engine().take_report(ReportId([7; 16])).encode();
    let at: Vec<usize> = MEMBERS.iter().filter_map(|member| text.find(&format!("\"{}\":", member.name))).collect();
    assert!(at.is_sorted(), "the members in the table's order: {text}");
    let sent: Value = serde_json::from_str(&text).unwrap();
    let expected: BTreeSet<&str> = report::HEADER
        .iter()
        .copied()
        .filter(|name| *name != "noise")
        .chain(MEMBERS.iter().map(|member| member.name))
        .collect();
    assert_eq!(keys(&sent), expected, "every member counted: {sent}");
    for member in MEMBERS.iter() {
        let value = &sent[member.name];
        match member.shape {
            Shape::Sketch => assert_eq!(keys(value), BTreeSet::from(["sumMs", "buckets"]), "{}", member.name),
            Shape::Counters(_) | Shape::Scores(_) => assert!(value.is_array(), "{}: {value}", member.name),
            Shape::Named(_) | Shape::Hours(_) => assert!(value.is_object(), "{}: {value}", member.name),
        }
    }
}

/// A valid report holding only `member: value` besides its header.
fn decode_with(member: &str, value: Value) -> Result<Report, String> {
    let mut report = serde_json::json!({
        "v": 1, "site": "acme", "serviceLevelSeconds": 60,
        "period": {"from": 1_795_420_800_000_i64, "to": 1_795_424_400_000_i64},
    });
    report[member] = value;
    Report::decode(report.to_string().as_bytes()).map_err(|e| e.message())
}

#[test]
fn every_array_of_the_report_has_the_positions_of_the_table() {
    for member in MEMBERS.iter() {
        let (len, wrap): (usize, fn(Vec<i64>) -> Value) = match member.shape {
            Shape::Sketch => continue,
            Shape::Counters(positions) => (positions.len(), |counts| counts.into()),
            Shape::Scores(scale) => {
                let (low, high) = scale.range();
                (usize::from(high - low) + 1, |counts| counts.into())
            }
            Shape::Named(positions) => (positions.len(), |counts| serde_json::json!({ "complaint": counts })),
            Shape::Hours(positions) => (positions.len(), |counts| serde_json::json!({ "0": counts })),
        };
        let report = decode_with(member.name, wrap(vec![1; len]));
        assert!(report.is_ok(), "{}: {len} positions: {report:?}", member.name);
        let Err(error) = decode_with(member.name, wrap(vec![1; len + 1])) else {
            panic!("{}: {} positions decode, the table has {len}", member.name, len + 1);
        };
        assert!(error.ends_with("is beyond the last counter of this schema version"), "{}: {error}", member.name);
    }
}

/// Asserts `value` is what `kind` says, at `path`.
fn assert_kind(value: &Value, kind: Kind, path: &str) {
    let object_of = |names: &[&str]| keys(value) == names.iter().copied().collect();
    let fits = match kind {
        Kind::Ratio => object_of(&["num", "den", "value"]),
        Kind::Duration => object_of(&["count", "mean", "p50", "p90", "p99"]),
        Kind::Mean => object_of(&["value", "count"]),
        Kind::Conversions => object_of(&["count", "value", "byGoal"]),
        Kind::Count => value.is_i64(),
        Kind::NumberOrNull => value.is_number() || value.is_null(),
        Kind::CountByName => value.as_object().is_some_and(|map| map.values().all(Value::is_i64)),
        Kind::Object(members) => {
            assert_members(value, members, path);
            true
        }
    };
    assert!(fits, "{path}: {value} is not a {kind:?}");
}

/// Asserts `value` has exactly `members` (and `counts`, for a section), each of its kind.
fn assert_members(value: &Value, members: &[Kpi], path: &str) -> Map<String, Value> {
    let mut rest = value.as_object().unwrap_or_else(|| panic!("{path}: {value}")).clone();
    for kpi in members {
        let member = rest.remove(kpi.name).unwrap_or_else(|| panic!("{path}.{}: missing", kpi.name));
        assert_kind(&member, kpi.kind, &format!("{path}.{}", kpi.name));
    }
    rest
}

#[test]
fn the_engine_writes_the_kpis_of_the_table() {
    let k: Value = serde_json::from_str(&busy_engine().kpis_json()).unwrap();
    let mut expected: BTreeSet<&str> = kpis::HEADER.iter().copied().collect();
    expected.extend(SECTIONS.iter().map(|section| section.name));
    expected.extend(["byHour", "byWeekdayHour"]);
    assert_eq!(keys(&k), expected);
    for section in SECTIONS.iter() {
        let rest = assert_members(&k[section.name], section.members, section.name);
        assert_eq!(rest.keys().collect::<Vec<_>>(), ["counts"], "{}", section.name);
        let counts: Vec<String> = section.counts().collect();
        let written: Vec<&String> = rest["counts"].as_object().unwrap().keys().collect();
        assert_eq!(written.len(), counts.len(), "{}.counts: {written:?}", section.name);
        assert!(counts.iter().all(|name| rest["counts"][name].is_i64()), "{}.counts: {written:?}", section.name);
    }
    let hour: BTreeSet<String> = support_kpi::families::time::HourCounts::NAMES.iter().map(|n| camel(n)).collect();
    assert_eq!(keys(&k["byHour"][0]), hour.iter().map(String::as_str).collect());
    assert_eq!(keys(&k["byWeekdayHour"]), WEEK_MATRICES.into_iter().collect());
}
