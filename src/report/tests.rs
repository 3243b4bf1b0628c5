//! Tests of the report: encoding, merging, decoding errors, noise.

use super::*;
use crate::families::contribution::ContributionCounts;
use crate::families::prevention::PreventionCounts;
use crate::families::speed::SpeedCounts;
use crate::testing::{at, engine, event, feed};

fn sample() -> Report {
    let mut e = engine(r#""goals":["purchase"],"tags":["complaint"]"#);
    feed(
        &mut e,
        &[
            event("page_view", at(0.0), r#""support":true"#),
            event("chat_button_impression", at(0.5), ""),
            event("chat_started", at(1.0), ""),
            event("agent_message", at(1.5), ""),
            event("tag", at(1.7), r#""name":"complaint""#),
            event("chat_ended", at(2.0), r#""resolved":true"#),
            event("survey", at(2.5), r#""kind":"csat","score":5"#),
            event("conversion", at(3.0), r#""goal":"purchase","value":19.95"#),
        ],
    );
    e.take_report(ReportId([0xab; 16]))
}

#[test]
fn encodes_compactly_and_round_trips() {
    let report = sample();
    let text = report.encode();
    assert_eq!(
        text,
        concat!(
            r#"{"v":1,"site":"test","id":"abababababababababababababababab","period":{"from":1795392000000,"to":1795395600000},"#,
            r#""serviceLevelSeconds":60,"engagement":[1,1,1,1,1,1,0,0,1],"availability":[1,0,0,1],"speed":[1],"#,
            r#""prevention":[1,0,1,1,0,0,1],"contribution":[1,1],"productivity":[2,1],"#,
            r#""firstResponse":{"sumMs":30000,"buckets":[[629,1]]},"response":{"sumMs":30000,"buckets":[[629,1]]},"#,
            r#""resolution":{"sumMs":60000,"buckets":[[693,1]]},"handleTime":{"sumMs":60000,"buckets":[[693,1]]},"tags":{"complaint":[1]},"goals":{"purchase":[1,19950,1,19950]},"#,
            r#""csat":[0,0,0,0,1],"hours":{"0":[1,1,1,0,1]}}"#
        )
    );
    assert_eq!(Report::decode(text.as_bytes()).unwrap(), report);
}

#[test]
fn merge_adds_and_drops_the_id() {
    let a = sample();
    let mut merged = a.clone();
    merged.merge(&a).unwrap();
    assert_eq!(merged.id, None);
    assert_eq!(merged.engagement.page_views, 2);
    assert_eq!(merged.contribution.goals.get("purchase"), [2, 39_900, 2, 39_900]);
    assert_eq!(merged.speed.first_response.count(), 2);
    let mut identity = a.clone();
    identity.merge(&Report::empty("test", 60)).unwrap();
    assert_eq!(identity, Report { id: None, ..a });
}

#[test]
fn refuses_to_merge_different_sites_or_thresholds() {
    let mut a = Report::empty("a", 60);
    let before = a.clone();
    assert_eq!(
        a.merge(&Report::empty("b", 60)).unwrap_err().message(),
        "site: reports of different sites cannot be merged"
    );
    assert_eq!(
        a.merge(&Report::empty("a", 30)).unwrap_err().message(),
        "serviceLevelSeconds: reports counted with different service-level thresholds cannot be merged"
    );
    assert_eq!(a, before);
}

#[test]
fn rejects_bad_reports_naming_the_field() {
    let head = r#""v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000000,"to":1795395600000}"#;
    let cases = [
        (alloc::string::String::from("{}"), "v: is required"),
        (
            alloc::string::String::from(r#"{"v":2,"site":"s","serviceLevelSeconds":60}"#),
            "v: must be 1, the schema version this build reads",
        ),
        (alloc::string::String::from(r#"{"v":1,"serviceLevelSeconds":60}"#), "site: is required"),
        (alloc::string::String::from(r#"{"v":1,"site":"s"}"#), "serviceLevelSeconds: is required"),
        (alloc::format!(r#"{{{head},"engagement":[1,-2]}}"#), "engagement[1]: must be an integer from 0 to 2^53-1"),
        (
            alloc::format!(r#"{{{head},"engagement":[1,9007199254740992]}}"#),
            "engagement[1]: must be an integer from 0 to 2^53-1",
        ),
        (alloc::format!(r#"{{{head},"speed":"fast"}}"#), "speed: must be an array, not a string"),
        (alloc::format!(r#"{{{head},"id":"XYZ"}}"#), "id: must be 32 lowercase hex digits"),
        (alloc::format!(r#"{{{head},"hours":{{"168":[1]}}}}"#), "hours.168: must be an hour of the week from 0 to 167"),
        // Found by fuzzing: keys that are no small number once overflowed the parser.
        (alloc::format!(r#"{{{head},"hours":{{"$":[1]}}}}"#), "hours.$: must be an hour of the week from 0 to 167"),
        (
            alloc::format!(r#"{{{head},"hours":{{"99999999999999999999":[1]}}}}"#),
            "hours.99999999999999999999: must be an hour of the week from 0 to 167",
        ),
        (
            alloc::format!(r#"{{{head},"nps":[0,0,0,0,0,0,0,0,0,0,0,1]}}"#),
            "nps[11]: is beyond the last counter of this schema version",
        ),
        (alloc::format!(r#"{{{head},"mystery":1}}"#), "mystery: is not a known field"),
        // Duplicate members, escapes decoded, at every level: never "last one wins".
        (alloc::format!(r#"{{{head},"site":"acme"}}"#), "site: appears more than once"),
        (alloc::format!(r#"{{{head},"\u0073ite":"acme"}}"#), "site: appears more than once"),
        (alloc::format!(r#"{{{head},"engagement":[1],"engagement":[2]}}"#), "engagement: appears more than once"),
        (
            alloc::string::String::from(
                r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000000,"from":0,"to":1795395600000}}"#,
            ),
            "period.from: appears more than once",
        ),
        (
            alloc::format!(r#"{{{head},"noise":{{"reports":1,"variance":5,"variance":0}}}}"#),
            "noise.variance: appears more than once",
        ),
        (
            alloc::format!(r#"{{{head},"response":{{"sumMs":1,"buckets":[[1,1]],"sumMs":2}}}}"#),
            "response.sumMs: appears more than once",
        ),
        (alloc::format!(r#"{{{head},"hours":{{"3":[1],"3":[0]}}}}"#), "hours.3: appears more than once"),
        (alloc::format!(r#"{{{head},"goals":{{"a":[1],"a":[1]}}}}"#), "goals.a: appears more than once"),
        (
            alloc::string::String::from(
                r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000001,"to":1795395600000}}"#,
            ),
            "period.from: must be a whole hour (ms since the epoch) between 2000-01-01 and 2100-01-01",
        ),
        (
            alloc::string::String::from(
                r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795395600000,"to":1795395600000}}"#,
            ),
            "period.to: must be after period.from",
        ),
        (
            alloc::string::String::from(r#"{"v":1,"site":"s","serviceLevelSeconds":60,"engagement":[1]}"#),
            "period: is required",
        ),
    ];
    for (json, message) in cases {
        assert_eq!(Report::decode(json.as_bytes()).unwrap_err().message(), message, "{json}");
    }
    // One count more than engagement has counters (so a new counter does not change this test).
    let beyond = Engagement::NAMES.len();
    let json = alloc::format!(r#"{{{head},"engagement":[{}1]}}"#, "0,".repeat(beyond));
    assert_eq!(
        Report::decode(json.as_bytes()).unwrap_err().message(),
        alloc::format!("engagement[{beyond}]: is beyond the last counter of this schema version"),
    );
}

#[test]
fn the_kpi_contract_lists_every_counter_in_report_order() {
    use crate::families::time::HourCounts;
    let contract = include_str!("../../docs/kpis.md");
    let members: [(&str, &[&str]); 7] = [
        ("engagement", Engagement::NAMES),
        ("availability", Availability::NAMES),
        ("speed", SpeedCounts::NAMES),
        ("prevention", PreventionCounts::NAMES),
        ("contribution", ContributionCounts::NAMES),
        ("productivity", Productivity::NAMES),
        ("hours", HourCounts::NAMES),
    ];
    for (member, names) in members {
        let row = alloc::format!("| {} |", names.join(", "));
        let prefix = alloc::format!("| `{member}`");
        let listed = contract.lines().any(|l| l.starts_with(&prefix) && l.ends_with(&row));
        assert!(listed, "docs/kpis.md should have a row for `{member}` ending with {row}");
    }
}

#[test]
fn noised_reports_may_hold_negative_counts_wherever_noise_is_written() {
    let period = r#""period":{"from":1795392000000,"to":1795395600000}"#;
    let noise = r#""noise":{"reports":1,"variance":14792}"#;
    for json in [
        alloc::format!(
            r#"{{"v":1,"site":"s",{period},"serviceLevelSeconds":60,{noise},"engagement":[-2],"nps":[-1,3]}}"#
        ),
        alloc::format!(
            r#"{{"engagement":[-2],"nps":[-1,3],{noise},"v":1,"site":"s",{period},"serviceLevelSeconds":60}}"#
        ),
    ] {
        let report = Report::decode(json.as_bytes()).unwrap();
        assert_eq!((report.engagement.page_views, report.friendliness.nps[0]), (-2, -1), "{json}");
        assert_eq!(report.noise, Some(Noise { reports: 1, variance: 14_792 }));
    }
    let sketch = alloc::format!(
        r#"{{"v":1,"site":"s",{period},"serviceLevelSeconds":60,{noise},"firstResponse":{{"sumMs":-1,"buckets":[]}}}}"#
    );
    assert_eq!(
        Report::decode(sketch.as_bytes()).unwrap_err().message(),
        "firstResponse.sumMs: must be an integer from 0 to 2^53-1",
        "durations are never noised"
    );
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    let deep = alloc::format!(
        r#"{{"v":1,"site":"s","serviceLevelSeconds":60,"speed":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(Report::decode(deep.as_bytes()).unwrap_err().message(), "speed[0]: must be a count, not an array");
}
