//! Writes the committed seed corpora of the fuzz targets:
//! `cargo run --manifest-path fuzz/Cargo.toml --example seeds` (from the
//! repository root; it replaces `fuzz/corpus/*/`).
//!
//! Valid and near-valid inputs: events of every type and batches of whole
//! visits, configurations with opening hours, the example report of docs/kpis.md,
//! reports and saved states of real engines, merged reports, noised reports
//! (signed counts, up to the clamp at ±(2^53−1)), HTTP requests.

use std::fs;
use std::path::{Path, PathBuf};
use support_kpi::{NativeEngine, Report, ReportId};
use support_kpi_fuzz::{CONFIG_JSON, config, engine};

/// 2026-11-23T00:00:00Z, a Monday.
const MONDAY: i64 = 1_795_392_000_000;
const MINUTE: i64 = 60_000;
/// 2026-03-29T01:00:00Z: Amsterdam switches to summer time.
const DST: i64 = 1_774_746_000_000;

/// The example report of docs/kpis.md (seeds named readme*).
const README_REPORT: &str = r#"{"v":1,"site":"acme-help","id":"7a9c2a8db64ed1af46f3c1bc985153cf","period":{"from":1795420800000,"to":1795424400000},"serviceLevelSeconds":60,"engagement":[3,2,1,1,1,2,1,1,1],"availability":[3,3,3],"speed":[1],"prevention":[1,0,1,1],"contribution":[1,1],"productivity":[4,1],"firstResponse":{"sumMs":24000,"buckets":[[605,1]]},"response":{"sumMs":84000,"buckets":[[605,1],[693,1]]},"resolution":{"sumMs":230000,"buckets":[[816,1]]},"goals":{"purchase":[1,49990,1,49990]},"csat":[0,0,0,0,1],"hours":{"9":[3,2,1,3,3]}}"#;

fn event(kind: &str, ts: i64, members: &str) -> String {
    let sep = if members.is_empty() { "" } else { "," };
    format!(r#"{{"type":"{kind}","ts":{ts}{sep}{members}}}"#)
}

fn at(minutes: i64) -> i64 {
    MONDAY + minutes * MINUTE
}

/// A visit: page views, launcher, a chat with replies, its end, a survey, a conversion, a tag.
fn visit(start: i64) -> Vec<String> {
    let m = |minutes: i64| start + minutes * MINUTE;
    vec![
        event("availability", m(0), r#""online":true"#),
        event("page_view", m(0), r#""support":false"#),
        event("page_view", m(1), r#""support":true"#),
        event("chat_button_impression", m(1) + 1_000, ""),
        event("chat_button_click", m(2), ""),
        event("chat_open", m(2) + 500, ""),
        event("chat_started", m(3), ""),
        event("customer_message", m(3) + 20_000, ""),
        event("agent_message", m(4), ""),
        event("customer_message", m(5), ""),
        event("agent_message", m(7), ""),
        event("tag", m(7) + 1, r#""name":"complaint""#),
        event("chat_ended", m(9), r#""resolved":true,"transferred":false,"escalated":false"#),
        event("survey", m(10), r#""kind":"csat","score":4"#),
        event("survey", m(10) + 1, r#""kind":"nps","score":9"#),
        event("survey", m(10) + 2, r#""kind":"ces","score":2"#),
        event("conversion", m(12), r#""goal":"purchase","value":49.99"#),
    ]
}

fn batch(events: &[String]) -> String {
    format!("[{}]", events.join(","))
}

fn feed(engine: &mut NativeEngine, events: &[String]) {
    for e in events {
        engine.track_json(e.as_bytes()).unwrap_or_else(|error| panic!("{e}: {}", error.message()));
    }
}

struct Corpus {
    dir: PathBuf,
}

impl Corpus {
    fn new(root: &Path, target: &str) -> Corpus {
        let dir = root.join(target);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Corpus { dir }
    }

    fn add(&self, name: &str, content: impl AsRef<[u8]>) {
        fs::write(self.dir.join(name), content).unwrap();
    }
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| String::from("fuzz/corpus")));
    events(&Corpus::new(&root, "event_decoder"));
    configs(&Corpus::new(&root, "config_decoder"));
    reports(&Corpus::new(&root, "report_decoder_merge"));
    states(&Corpus::new(&root, "engine_state"));
    requests(&Corpus::new(&root, "collector_request"));
    println!("seeds written under {}", root.display());
}

fn events(c: &Corpus) {
    let ts = at(9 * 60);
    let valid = [
        ("page_view", r#""support":true"#),
        ("page_view-not-support", r#""support":false"#),
        ("chat_button_impression", ""),
        ("chat_button_click", ""),
        ("chat_open", ""),
        ("availability", r#""online":true"#),
        ("chat_started", ""),
        ("customer_message", ""),
        ("agent_message", ""),
        ("chat_ended", r#""resolved":false,"transferred":true,"escalated":true"#),
        ("chat_ended-unknown-outcome", ""),
        ("survey", r#""kind":"nps","score":0"#),
        ("conversion", r#""goal":"signup","value":1e2"#),
        ("tag", r#""name":"vip""#),
    ];
    for (name, members) in valid {
        let kind = name.split('-').next().unwrap();
        c.add(&format!("one-{name}.json"), event(kind, ts, members));
    }
    let near = [
        ("missing-type", format!(r#"{{"ts":{ts}}}"#)),
        ("unknown-type", event("pageview", ts, "")),
        ("missing-support", event("page_view", ts, "")),
        ("string-ts", r#"{"type":"chat_open","ts":"1795392000000"}"#.to_owned()),
        ("ts-before-2000", event("chat_open", 946_684_799_999, "")),
        ("ts-fraction-exponent", r#"{"type":"chat_open","ts":1.7953920000005e12}"#.to_owned()),
        ("unknown-field", event("chat_open", ts, r#""colour":"red""#)),
        ("field-of-other-type", event("chat_open", ts, r#""online":true"#)),
        ("duplicate-ts", event("chat_open", ts, &format!(r#""ts":{ts}"#))),
        ("score-out-of-range", event("survey", ts, r#""kind":"csat","score":6"#)),
        ("score-fraction", event("survey", ts, r#""kind":"ces","score":3.5"#)),
        ("goal-not-listed", event("conversion", ts, r#""goal":"refund""#)),
        ("value-negative", event("conversion", ts, r#""goal":"purchase","value":-0.001"#)),
        ("value-too-large", event("conversion", ts, r#""goal":"purchase","value":1000000000000.0005"#)),
        ("tag-escaped", event("tag", ts, r#""name":"\u0063omplaint""#)),
        ("tag-too-long", event("tag", ts, &format!(r#""name":"{}""#, "c".repeat(65)))),
        ("nested-extra", event("chat_open", ts, r#""x":[[[{"a":[1,{"b":null}]}]]]"#)),
        ("trailing-text", format!("{} {{}}", event("chat_open", ts, ""))),
        ("not-an-object", "[1,true,null,\"x\"]".to_owned()),
    ];
    for (name, text) in near {
        c.add(&format!("near-{name}.json"), text);
    }
    c.add("batch-visit.json", batch(&visit(at(9 * 60))));
    // Two visits with a session timeout between, attribution across sessions.
    let mut two = visit(at(8 * 60));
    two.extend([
        event("page_view", at(10 * 60), r#""support":false"#),
        event("conversion", at(10 * 60 + 1), r#""goal":"signup""#),
        event("chat_started", at(10 * 60 + 2), ""),
        event("chat_started", at(10 * 60 + 3), ""),
        event("page_view", at(11 * 60), r#""support":true"#),
    ]);
    c.add("batch-two-sessions.json", batch(&two));
    // Out of order events, responses "before" the chat, chat_ended without a chat.
    let disorder = vec![
        event("chat_started", at(100), ""),
        event("agent_message", at(99), ""),
        event("customer_message", at(98), ""),
        event("agent_message", at(101), ""),
        event("chat_ended", at(50), r#""resolved":true"#),
        event("chat_ended", at(102), r#""resolved":true"#),
        event("tag", at(103), r#""name":"complaint""#),
        event("agent_message", at(104), ""),
    ];
    c.add("batch-out-of-order.json", batch(&disorder));
    // Across the Amsterdam DST change, and in and out of the opening hours.
    let dst = vec![
        event("availability", DST - 2 * 60 * MINUTE, r#""online":false"#),
        event("page_view", DST - 1, r#""support":true"#),
        event("page_view", DST, r#""support":true"#),
        event("page_view", at(8 * 60 - 1), r#""support":false"#),
        event("page_view", at(8 * 60), r#""support":false"#),
        event("page_view", at(5 * 24 * 60 + 21 * 60), r#""support":false"#),
        event("page_view", at(6 * 24 * 60 + 60), r#""support":false"#),
    ];
    c.add("batch-dst-and-hours.json", batch(&dst));
    let mixed = format!(
        "[{},{},5,{{}},{}]",
        event("chat_started", ts, ""),
        event("survey", ts, r#""kind":"stars","score":4"#),
        event("agent_message", ts + 1_000, "")
    );
    c.add("batch-some-rejected.json", mixed);
    c.add("batch-empty.json", "[]");
    c.add("batch-malformed.json", format!("[{},{{\"type\":\"chat_open\",\"ts\":}}]", event("chat_open", ts, "")));
    // Long chats: a first response after days (sketch limit of 30 days).
    let long = vec![
        event("chat_started", at(0), ""),
        event("agent_message", at(0) + 3, ""),
        event("customer_message", at(1), ""),
        event("chat_started", at(20), ""),
        event("customer_message", at(21), ""),
        event("agent_message", at(40 * 24 * 60), ""),
        event("chat_ended", at(40 * 24 * 60 + 1), r#""resolved":true"#),
    ];
    c.add("batch-long-waits.json", batch(&long));
}

fn configs(c: &Corpus) {
    c.add("fuzz-config.json", CONFIG_JSON);
    let cases = [
        ("minimal", r#"{"siteKey":"a"}"#.to_owned()),
        ("readme", r#"{"siteKey":"acme-help","timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]],"tue":[["09:00","17:30"]]},"serviceLevelSeconds":60,"goals":["purchase","signup"],"tags":["complaint"],"attributionDays":7,"sessionTimeoutMinutes":30}"#.to_owned()),
        ("every-day", r#"{"siteKey":"s","openingHours":{"mon":[["00:00","24:00"]],"tue":[["08:00","12:00"],["13:00","17:00"]],"wed":[],"thu":[["23:59","24:00"]],"fri":[["00:00","00:01"]],"sat":[["10:00","14:00"]],"sun":[["22:00","24:00"]]}}"#.to_owned()),
        ("eight-ranges", format!(r#"{{"siteKey":"s","openingHours":{{"mon":[{}]}}}}"#, (0..8).map(|h| format!(r#"["{h:02}:00","{h:02}:30"]"#)).collect::<Vec<_>>().join(","))),
        ("nine-ranges", format!(r#"{{"siteKey":"s","openingHours":{{"mon":[{}]}}}}"#, (0..9).map(|h| format!(r#"["{h:02}:00","{h:02}:30"]"#)).collect::<Vec<_>>().join(","))),
        ("null-hours", r#"{"siteKey":"s","openingHours":null}"#.to_owned()),
        ("crossing-midnight", r#"{"siteKey":"s","openingHours":{"fri":[["22:00","02:00"]]}}"#.to_owned()),
        ("bad-time", r#"{"siteKey":"s","openingHours":{"mon":[["9:00","24:01"]]}}"#.to_owned()),
        ("start-24", r#"{"siteKey":"s","openingHours":{"mon":[["24:00","24:00"]]}}"#.to_owned()),
        ("unknown-day", r#"{"siteKey":"s","openingHours":{"monday":[]}}"#.to_owned()),
        ("zone-kathmandu", r#"{"siteKey":"s","timeZone":"Asia/Kathmandu","openingHours":{"sun":[["00:00","01:00"]]}}"#.to_owned()),
        ("zone-st-johns", r#"{"siteKey":"s","timeZone":"America/St_Johns"}"#.to_owned()),
        ("zone-etc", r#"{"siteKey":"s","timeZone":"Etc/GMT+12"}"#.to_owned()),
        ("zone-kiritimati", r#"{"siteKey":"s","timeZone":"Pacific/Kiritimati"}"#.to_owned()),
        ("zone-unknown", r#"{"siteKey":"s","timeZone":"Mars/Olympus_Mons"}"#.to_owned()),
        ("zone-lowercase", r#"{"siteKey":"s","timeZone":"europe/amsterdam"}"#.to_owned()),
        ("zone-bad-shape", r#"{"siteKey":"s","timeZone":"Europe/Amster dam"}"#.to_owned()),
        ("limits-low", r#"{"siteKey":"s","serviceLevelSeconds":1,"attributionDays":0,"sessionTimeoutMinutes":1}"#.to_owned()),
        ("limits-high", r#"{"siteKey":"s","serviceLevelSeconds":86400,"attributionDays":365,"sessionTimeoutMinutes":1440}"#.to_owned()),
        ("limits-over", r#"{"siteKey":"s","serviceLevelSeconds":86401,"attributionDays":366,"sessionTimeoutMinutes":0}"#.to_owned()),
        ("32-goals", format!(r#"{{"siteKey":"s","goals":[{}]}}"#, (0..32).map(|i| format!(r#""g{i}""#)).collect::<Vec<_>>().join(","))),
        ("33-tags", format!(r#"{{"siteKey":"s","tags":[{}]}}"#, (0..33).map(|i| format!(r#""t{i}""#)).collect::<Vec<_>>().join(","))),
        ("repeated-goal", r#"{"siteKey":"s","goals":["buy","buy"]}"#.to_owned()),
        ("bad-slug", r#"{"siteKey":"Acme Help"}"#.to_owned()),
        ("long-slug", format!(r#"{{"siteKey":"{}"}}"#, "a".repeat(65))),
        ("escaped-key", r#"{"site\u004bey":"s"}"#.to_owned()),
        ("escaped-value", r#"{"siteKey":"\u0073ite","timeZone":"Europe\/Amsterdam"}"#.to_owned()),
        ("duplicate-key", r#"{"siteKey":"a","siteKey":"b"}"#.to_owned()),
        ("unknown-key", r#"{"siteKey":"a","colour":1}"#.to_owned()),
        ("string-number", r#"{"siteKey":"a","serviceLevelSeconds":"60"}"#.to_owned()),
        ("exponent-number", r#"{"siteKey":"a","serviceLevelSeconds":6e1,"attributionDays":7.0}"#.to_owned()),
        ("not-an-object", r#"["siteKey","a"]"#.to_owned()),
    ];
    for (name, text) in cases {
        c.add(&format!("{name}.json"), text);
    }
}

/// Reports of real engines: one visit, a report per page, and both merged.
/// The reports `e` sends for a visit's first page and the rest, and the two merged.
fn visit_pages(mut e: NativeEngine) -> [Report; 3] {
    let events = visit(at(9 * 60));
    feed(&mut e, &events[..8]);
    let first = e.take_report(ReportId([0x11; 16]));
    feed(&mut e, &events[8..]);
    let second = e.take_report(ReportId([0x22; 16]));
    let mut merged = first.clone();
    merged.merge(&second).unwrap();
    [first, second, merged]
}

fn engine_reports() -> Vec<(String, Report)> {
    let names = ["engine-first-page", "engine-second-page", "engine-merged"];
    let mut out: Vec<(String, Report)> = names.map(String::from).into_iter().zip(visit_pages(engine())).collect();
    let mut week = engine();
    for day in 0..7 {
        feed(&mut week, &visit(at(day * 24 * 60 + 9 * 60 + day * 37)));
    }
    out.push((String::from("engine-week"), week.take_report(ReportId([0x33; 16]))));
    out.push((String::from("engine-empty"), engine().take_report(ReportId([0x44; 16]))));
    out
}

fn reports(c: &Corpus) {
    c.add("readme.json", README_REPORT);
    let engine_reports = engine_reports();
    for (name, report) in &engine_reports {
        c.add(&format!("{name}.json"), report.encode());
    }
    let text = |i: usize| engine_reports[i].1.encode();
    c.add("pair-pages.txt", format!("{}\n{}", text(0), text(1)));
    c.add("triple-pages-week.txt", format!("{}\n{}\n{}", text(0), text(1), text(3)));
    c.add("pair-with-empty.txt", format!("{}\n{}", text(3), text(4)));
    let readme_again = README_REPORT.replace("7a9c2a8db64ed1af46f3c1bc985153cf", "00000000000000000000000000000001");
    c.add("pair-readme.txt", format!("{README_REPORT}\n{readme_again}"));
    c.add("pair-other-site.txt", format!("{README_REPORT}\n{}", text(0)));
    c.add(
        "pair-other-threshold.txt",
        format!("{}\n{}", text(0), text(0).replace(r#""serviceLevelSeconds":60"#, r#""serviceLevelSeconds":30"#)),
    );
    let head = r#""v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000000,"to":1795395600000}"#;
    let max = "9007199254740991";
    let noise = r#""noise":{"reports":1,"variance":14792}"#;
    // Noised counts 2^53-1, 1 and -1: (a+b)+c clamps a+b, a+(b+c) does not.
    let clamp = |count: &str| format!(r#"{{{head},{noise},"engagement":[{count}]}}"#);
    c.add("triple-noised-clamp.txt", format!("{}\n{}\n{}", clamp(max), clamp("1"), clamp("-1")));
    let cases = [
        ("minimal", r#"{"v":1,"site":"s","serviceLevelSeconds":60}"#.to_owned()),
        (
            "saturating",
            format!(
                r#"{{{head},"engagement":[{max},{max}],"firstResponse":{{"sumMs":{max},"buckets":[[0,{max}],[1677,{max}]]}},"goals":{{"g":[{max},{max},{max},{max}]}},"nps":[{max},0,0,0,0,0,0,0,0,0,{max}],"hours":{{"167":[{max}]}}}}"#
            ),
        ),
        ("count-too-large", format!(r#"{{{head},"engagement":[9007199254740992]}}"#)),
        ("count-negative", format!(r#"{{{head},"speed":[-1]}}"#)),
        ("noised-signed", format!(r#"{{{head},{noise},"engagement":[-{max},-1,{max}],"nps":[-1,3]}}"#)),
        ("noised-count-too-small", format!(r#"{{{head},{noise},"engagement":[-9007199254740992]}}"#)),
        ("noised-sketch-negative", format!(r#"{{{head},{noise},"response":{{"sumMs":-1,"buckets":[]}}}}"#)),
        ("noise-missing-variance", format!(r#"{{{head},"noise":{{"reports":1}},"engagement":[-1]}}"#)),
        ("noise-zero-reports", format!(r#"{{{head},"noise":{{"reports":0,"variance":0}}}}"#)),
        ("count-exponent", format!(r#"{{{head},"engagement":[1e3,2.0,30e-1]}}"#)),
        ("extra-counter", format!(r#"{{{head},"productivity":[1,2,3]}}"#)),
        ("bucket-order", format!(r#"{{{head},"response":{{"sumMs":5,"buckets":[[7,1],[7,1]]}}}}"#)),
        ("bucket-too-high", format!(r#"{{{head},"response":{{"sumMs":5,"buckets":[[1678,1]]}}}}"#)),
        ("bucket-not-pair", format!(r#"{{{head},"resolution":{{"sumMs":5,"buckets":[[7]]}}}}"#)),
        ("bucket-zero-count", format!(r#"{{{head},"firstResponse":{{"sumMs":0,"buckets":[[3,0]]}}}}"#)),
        ("hours-keys", format!(r#"{{{head},"hours":{{"0":[1],"167":[0,1],"09":[1]}}}}"#)),
        ("hour-too-high", format!(r#"{{{head},"hours":{{"168":[1]}}}}"#)),
        (
            "tags-goals",
            format!(
                r#"{{{head},"tags":{{"complaint":[2],"vip":[1]}},"goals":{{"purchase":[1,19950],"signup":[2,0,1]}}}}"#
            ),
        ),
        ("goal-bad-name", format!(r#"{{{head},"goals":{{"Purchase":[1]}}}}"#)),
        ("goal-repeated", format!(r#"{{{head},"goals":{{"a":[1],"a":[1]}}}}"#)),
        ("surveys", format!(r#"{{{head},"csat":[1,2,3,4,5],"nps":[1,0,0,0,0,0,0,2,0,3,4],"ces":[0,0,0,0,0,0,7]}}"#)),
        ("no-period-with-counts", r#"{"v":1,"site":"s","serviceLevelSeconds":60,"engagement":[1]}"#.to_owned()),
        (
            "period-not-whole-hour",
            r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000001,"to":1795395600000}}"#
                .to_owned(),
        ),
        (
            "period-reversed",
            r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795395600000,"to":1795392000000}}"#
                .to_owned(),
        ),
        (
            "period-edges",
            r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":946684800000,"to":4102448400000}}"#
                .to_owned(),
        ),
        ("id-uppercase", format!(r#"{{{head},"id":"7A9C2A8DB64ED1AF46F3C1BC985153CF"}}"#)),
        ("version-2", r#"{"v":2,"site":"s","serviceLevelSeconds":60}"#.to_owned()),
        ("unknown-member", format!(r#"{{{head},"mystery":{{"a":[1,2,{{}}]}}}}"#)),
        ("duplicate-member", format!(r#"{{{head},"csat":[1,2],"csat":[3]}}"#)),
        ("escaped-member", format!(r#"{{{head},"\u0065ngagement":[1]}}"#)),
        ("deep-nesting", format!(r#"{{{head},"speed":{}{}}}"#, "[".repeat(20), "]".repeat(20))),
    ];
    for (name, text) in cases {
        c.add(&format!("{name}.json"), text);
    }
}

fn states(c: &Corpus) {
    c.add("fresh.json", engine().save_state());
    let events = visit(at(9 * 60));
    let mut e = engine();
    let mut start = 0;
    for cut in [2, 6, 8, 9, 12, 17] {
        feed(&mut e, &events[start..cut]);
        c.add(&format!("after-{cut}-events.json"), e.save_state());
        start = cut;
    }
    e.take_report(ReportId([5; 16]));
    c.add("after-report.json", e.save_state());
    let mut week = engine();
    for day in 0..7 {
        feed(&mut week, &visit(at(day * 24 * 60 + 9 * 60 + day * 37)));
    }
    c.add("week.json", week.save_state());
    // An open, unanswered chat with the customer waiting, and complaints in it.
    let mut open = engine();
    feed(
        &mut open,
        &[
            event("page_view", at(0), r#""support":true"#),
            event("chat_started", at(1), ""),
            event("tag", at(2), r#""name":"complaint""#),
            event("tag", at(3), r#""name":"complaint""#),
        ],
    );
    c.add("open-chat-complaints.json", open.save_state());
    // Near-valid tapes: each changes one item of a real state.
    let saved = e.save_state();
    let fresh = engine().save_state();
    let period = r#""fuzz",60,1,1795424400000,1795428000000"#;
    assert!(saved.contains(period), "the period follows the site on the tape: {saved}");
    // The version (the format and the report layout's fingerprint) and the items after it.
    let (version, rest) = saved[1..].split_once(',').unwrap();
    let version: i64 = version.parse().unwrap();
    let near = [
        ("other-site", saved.replacen(r#""fuzz""#, r#""other""#, 1)),
        ("other-threshold", saved.replacen(r#""fuzz",60"#, r#""fuzz",61"#, 1)),
        ("bad-site-name", saved.replacen(r#""fuzz""#, r#""Fuzz""#, 1)),
        ("older-format", format!("[{},{rest}", ((version >> 32) - 1) << 32 | (version & 0xffff_ffff))),
        ("other-layout", format!("[{},{rest}", version ^ 1)),
        ("flag-2", format!("[{version},2,{}", rest.split_once(',').unwrap().1)),
        ("truncated", saved[..saved.len() / 2].to_owned()),
        ("truncated-at-item", format!("{}]", saved[..saved.len() / 2].rsplit_once(',').unwrap().0)),
        ("extra-item", format!("{},0]", &saved[..saved.len() - 1])),
        ("period-reversed", saved.replacen(period, r#""fuzz",60,1,1795428000000,1795424400000"#, 1)),
        ("period-not-whole-hours", saved.replacen(period, r#""fuzz",60,1,1795424400001,1795424400002"#, 1)),
        ("counts-without-period", fresh.replacen(r#""fuzz",60,0,0,"#, r#""fuzz",60,0,5,"#, 1)),
        ("goal-bad-name", week.save_state().replacen(r#""purchase""#, r#""Purchase""#, 1)),
        ("object", r#"{"v":2}"#.to_owned()),
        ("strings-for-numbers", format!(r#"["{version}",true,{}"#, rest.split_once(',').unwrap().1)),
        ("not-json", format!("[{version},1,")),
    ];
    for (name, text) in near {
        c.add(&format!("near-{name}.json"), text);
    }
}

/// A report the collector's `acme`/`ams`/`open` sites accept (`open` counts
/// with 30 s): a visit's pages merged, as a device of `site` counts them.
fn collector_report(site: &str, id: u8) -> String {
    let mut config = config();
    config.site_key = String::from(site);
    config.service_level_seconds = if site == "open" { 30 } else { 60 };
    let [.., mut report] = visit_pages(NativeEngine::new(config).unwrap());
    report.set_id(Some(ReportId([id; 16])));
    report.encode()
}

fn requests(c: &Corpus) {
    const TOKEN: &str = "fuzz-read-token-0123456789";
    let acme = collector_report("acme", 1);
    let post = |ct: &str, origin: Option<&str>, body: &str| {
        let origin = origin.map(|o| format!("Origin: {o}\n")).unwrap_or_default();
        format!("POST /api/report\nContent-Type: {ct}\n{origin}\n{body}")
    };
    let get = |target: &str, auth: &str| format!("GET {target}\nAuthorization: {auth}\n\n");
    let bearer = format!("Bearer {TOKEN}");
    let cases = [
        ("bare-report", acme.clone()),
        ("post-acme", post("text/plain;charset=UTF-8", Some("https://help.acme.example"), &acme)),
        ("post-ams-json", post("application/json", Some("https://ams.example"), &collector_report("ams", 2))),
        ("post-open-no-origin", post("text/plain", None, &collector_report("open", 3))),
        (
            "post-open-threshold-60",
            post(
                "text/plain",
                Some("https://x.example"),
                &collector_report("open", 4).replace(r#""serviceLevelSeconds":30"#, r#""serviceLevelSeconds":60"#),
            ),
        ),
        ("post-wrong-origin", post("text/plain", Some("https://evil.example"), &acme)),
        ("post-no-origin", post("text/plain", None, &acme)),
        ("post-non-ascii-origin", post("text/plain", Some("https://h\u{e9}lp.example"), &acme)),
        ("post-unknown-site", post("text/plain", Some("https://help.acme.example"), &collector_report("nosuch", 5))),
        (
            "post-no-id",
            post(
                "text/plain",
                Some("https://help.acme.example"),
                &acme.replace(r#""id":"01010101010101010101010101010101","#, ""),
            ),
        ),
        (
            "post-no-period",
            post(
                "text/plain",
                Some("https://help.acme.example"),
                r#"{"v":1,"site":"acme","id":"0123456789abcdef0123456789abcdef","serviceLevelSeconds":60}"#,
            ),
        ),
        ("post-readme", post("text/plain", Some("https://help.acme.example"), README_REPORT)),
        ("post-bad-json", post("text/plain", Some("https://help.acme.example"), r#"{"v":1,"site":"acme""#)),
        ("post-form", post("application/x-www-form-urlencoded", Some("https://help.acme.example"), &acme)),
        ("post-no-content-type", format!("POST /api/report\nOrigin: https://help.acme.example\n\n{acme}")),
        (
            "post-declared-too-large",
            format!(
                "POST /api/report\nContent-Type: text/plain\nContent-Length: 70000\nOrigin: https://help.acme.example\n\n{acme}"
            ),
        ),
        (
            "post-padded-too-large",
            format!(
                "POST /api/report\nContent-Type: text/plain\nX-Pad: 65\nOrigin: https://help.acme.example\n\n{acme}"
            ),
        ),
        (
            "post-chunked-too-large",
            format!("POST /api/report\nContent-Type: text/plain\nTransfer-Encoding: chunked\nX-Pad: 70\n\n{acme}"),
        ),
        (
            "post-chunked-padded-ok",
            format!(
                "POST /api/report\nContent-Type: text/plain\nTransfer-Encoding: chunked\nX-Pad: 60\nOrigin: https://help.acme.example\n\n{acme}"
            ),
        ),
        (
            "post-twice",
            format!(
                "{}\n---\n{}",
                post("text/plain", Some("https://help.acme.example"), &acme),
                post("text/plain", Some("https://help.acme.example"), &acme)
            ),
        ),
        ("preflight-allowed", "OPTIONS /api/report\nOrigin: https://ams.example\n\n".to_owned()),
        ("preflight-no-origin", "OPTIONS /api/report\n\n".to_owned()),
        ("kpis-default", get("/api/kpis?site=acme", &bearer)),
        ("kpis-hours", get("/api/kpis?site=ams&bucket=hour&from=1795392000000&to=1795478400000", &bearer)),
        ("kpis-days-dst", get("/api/kpis?site=ams&bucket=day&from=1774656000000&to=1775001600000", &bearer)),
        ("kpis-too-long", get("/api/kpis?site=acme&bucket=hour&from=946684800000&to=4102444800000", &bearer)),
        ("kpis-edges", get("/api/kpis?site=open&from=4000000000000&to=4102444800000", &bearer)),
        ("kpis-bad-params", get("/api/kpis?site=acme&bucket=week&from=-1&to=abc", &bearer)),
        ("kpis-repeated", get("/api/kpis?site=acme&site=ams", &bearer)),
        ("kpis-unknown-param", get("/api/kpis?site=acme&colour=red", &bearer)),
        ("kpis-encoded", get("/api/kpis?%73ite=%61cme&bucket=ho%75r&x=%FF%FE", &bearer)),
        ("kpis-no-token", "GET /api/kpis?site=acme\n\n".to_owned()),
        ("kpis-wrong-token", get("/api/kpis?site=acme", "Bearer fuzz-read-token-0123456788")),
        ("kpis-basic-auth", get("/api/kpis?site=acme", "Basic Zm9vOmJhcg==")),
        ("sites", get("/api/sites", &bearer)),
        (
            "post-then-kpis",
            format!(
                "{}\n---\n{}",
                post("text/plain", Some("https://help.acme.example"), &acme),
                get("/api/kpis?site=acme&bucket=hour&from=1795392000000&to=1795478400000", &bearer)
            ),
        ),
    ];
    for (name, text) in cases {
        c.add(&format!("{name}.txt"), text);
    }
}
