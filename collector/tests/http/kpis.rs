//! `GET /api/kpis` and `GET /api/sites`: token, parameters, merging, buckets.

use super::server::{ACME, AMS, PRIVATE, Server, TOKEN, report, this_hour};
use chrono::{DateTime, Days, TimeZone};
use chrono_tz::Europe::Amsterdam;
use serde_json::{Value, json};
use support_kpi::time::{DAY_MS, HOUR_MS};
use support_kpi::{NativeEngine, Report, ReportId, kpis_json};
use support_kpi_collector::time::now_ms;

each_store! {
fn the_read_token_is_required(store) {
    let server = Server::start(store, &[]);
    for target in ["/api/kpis?site=acme", "/api/sites"] {
        server.get_with(target, &[]).assert_error(401, "Authorization", "Authorization: a bearer token is required");
        let wrong = server.get_with(target, &[("Authorization", "Bearer not-the-token-at-all")]);
        wrong.assert_error(401, "Authorization", "Authorization: the bearer token is not valid");
        assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
        let basic = server.get_with(target, &[("Authorization", &format!("Basic {TOKEN}"))]);
        basic.assert_error(401, "Authorization", "Authorization: the bearer token is not valid");
        let lowercase = server.get_with(target, &[("Authorization", &format!("bearer {TOKEN}"))]);
        assert_eq!(lowercase.status, 200, "the scheme is case-insensitive");
    }
}
}

each_store! {
fn lists_the_sites(store) {
    let server = Server::start(store, &[]);
    let sites = server.get("/api/sites");
    assert_eq!(sites.status, 200);
    assert_eq!(sites.header("cache-control"), Some("no-store"));
    assert_eq!(
        sites.json(),
        json!({"sites": [
            {"key": "acme", "timeZone": "UTC", "serviceLevelSeconds": 60},
            {"key": "ams", "timeZone": "Europe/Amsterdam", "serviceLevelSeconds": 60},
            {"key": "open", "timeZone": "UTC", "serviceLevelSeconds": 30},
            {"key": "private", "timeZone": "UTC", "serviceLevelSeconds": 60},
        ]})
    );
}
}

each_store! {
fn bad_query_parameters_are_refused_naming_them(store) {
    let server = Server::start(store, &[]);
    let instant = "must be milliseconds since 1970 between 2000-01-01 and 2100-01-01";
    let cases = [
        ("/api/kpis", "site", String::from("site: is required")),
        ("/api/kpis?site=nope", "site", String::from("site: \"nope\" is not a configured site")),
        ("/api/kpis?site=acme&from=yesterday", "from", format!("from: {instant}")),
        ("/api/kpis?site=acme&to=1.5e12", "to", format!("to: {instant}")),
        ("/api/kpis?site=acme&from=100", "from", format!("from: {instant}")),
        ("/api/kpis?site=acme&from=1795392000000&to=1795392000000", "to", String::from("to: must be after from")),
        ("/api/kpis?site=acme&bucket=week", "bucket", String::from("bucket: must be hour or day")),
        (
            "/api/kpis?site=acme&colour=red",
            "colour",
            String::from("colour: is not a known parameter (site, from, to, bucket, format)"),
        ),
        ("/api/kpis?site=acme&site=ams", "site", String::from("site: appears more than once")),
        (
            "/api/kpis?site=acme&bucket=hour&from=1795392000000&to=1805392000000",
            "from",
            String::from("from: must be at most 1500 hours before to"),
        ),
    ];
    for (target, field, error) in cases {
        server.get(target).assert_error(400, field, &error);
    }
}
}

/// Reports as browsers make them: three visitors, each reporting twice.
fn engine_reports(site: &str, start: i64) -> Vec<Report> {
    let config = format!(r#"{{"siteKey":"{site}","goals":["purchase"],"tags":["complaint"]}}"#);
    let visitor = |offset: i64| -> Vec<String> {
        let at = |minutes: i64| start + offset * 60_000 + minutes * 60_000;
        vec![
            format!(r#"{{"type":"availability","ts":{},"online":true}}"#, at(0)),
            format!(r#"{{"type":"page_view","ts":{},"support":true}}"#, at(0)),
            format!(r#"{{"type":"chat_button_impression","ts":{}}}"#, at(1)),
            format!(r#"{{"type":"chat_started","ts":{}}}"#, at(2)),
            format!(r#"{{"type":"agent_message","ts":{}}}"#, at(2) + (offset + 1) * 17_000),
            format!(r#"{{"type":"tag","ts":{},"name":"complaint"}}"#, at(3)),
            format!(r#"{{"type":"chat_ended","ts":{},"resolved":true}}"#, at(4)),
            format!(r#"{{"type":"survey","ts":{},"kind":"csat","score":{}}}"#, at(5), 3 + offset % 3),
            format!(r#"{{"type":"page_view","ts":{},"support":false}}"#, at(70)),
            format!(r#"{{"type":"conversion","ts":{},"goal":"purchase","value":19.5}}"#, at(71)),
        ]
    };
    let mut reports = Vec::new();
    for (n, offset) in [0, 7, 13].into_iter().enumerate() {
        let mut engine = NativeEngine::from_config_json(config.as_bytes()).unwrap();
        let events = visitor(offset);
        for (part, chunk) in events.chunks(8).enumerate() {
            for event in chunk {
                engine.track_json(event.as_bytes()).unwrap();
            }
            reports.push(engine.take_report(ReportId([(n * 2 + part) as u8 + 1; 16])));
        }
    }
    reports
}

each_store! {
fn rollups_give_the_kpis_of_the_reports_merged_in_memory(store) {
    let server = Server::start(store, &[]);
    let start = this_hour() - 5 * HOUR_MS;
    let reports = engine_reports("acme", start);
    let mut merged = Report::empty("acme", 60);
    for report in &reports {
        assert_eq!(server.post_report(Some(ACME), &report.encode()).status, 202);
        merged.merge(report).unwrap();
    }
    let target = format!("/api/kpis?site=acme&from={}&to={}&bucket=hour", start - HOUR_MS, this_hour() + HOUR_MS);
    let response = server.get(&target);
    let answer = response.json();
    let expected: Value = serde_json::from_str(&kpis_json(&merged)).unwrap();
    assert_eq!(answer["kpis"], expected);
    assert_eq!(answer["reports"], 6);
    assert_eq!(answer["kpis"]["speed"]["firstResponse"]["count"], 3);
    let histogram: Vec<Value> =
        merged.first_response().buckets().map(|(ms, count)| json!([ms / 1000.0, count])).collect();
    assert_eq!(answer["firstResponseHistogram"], Value::Array(histogram));
    assert_eq!(answer["firstResponseHistogram"].as_array().unwrap().len(), 3);
    assert_eq!((answer["bucket"].clone(), answer["timeZone"].clone()), (json!("hour"), json!("UTC")));
    assert_eq!(answer["serviceLevelSeconds"], 60);
    assert_eq!((answer["from"].as_i64(), answer["to"].as_i64()), (Some(start - HOUR_MS), Some(this_hour() + HOUR_MS)));
    // Hour buckets cover the range without gaps; each one is a KPI object without the time members.
    let series = answer["series"].as_array().unwrap();
    assert_eq!(series.len(), 7);
    for (index, item) in series.iter().enumerate() {
        assert_eq!(item["from"].as_i64(), Some(start + (index as i64 - 1) * HOUR_MS));
        assert_eq!(item["to"].as_i64().unwrap() - item["from"].as_i64().unwrap(), HOUR_MS);
        assert!(item["kpis"].get("byHour").is_none() && item["kpis"].get("byWeekdayHour").is_none());
        assert!(item["kpis"]["engagement"].is_object());
    }
    let reports_per_hour: Vec<i64> = series.iter().map(|item| item["reports"].as_i64().unwrap()).collect();
    assert_eq!(reports_per_hour, [0, 3, 3, 0, 0, 0, 0]);
    assert_eq!(series[0]["kpis"]["engagement"]["supportPageShare"], json!({"num": 0, "den": 0, "value": null}));
    assert_eq!(series[0]["kpis"]["period"], Value::Null);
    assert!(answer["kpis"]["byHour"].is_array());
    let empty_bucket = r#""reports":0,"kpis":{"site":"acme","period":null,"noise":null,"engagement":{"#;
    assert!(response.text().contains(empty_bucket), "members keep the engine's order");
}
}

each_store! {
fn day_buckets_follow_the_site_time_zone(store) {
    let server = Server::start(store, &[]);
    // Local midnight in Amsterdam three days ago is 22:00 or 23:00 UTC the day before.
    let today = DateTime::from_timestamp_millis(now_ms()).unwrap().with_timezone(&Amsterdam).date_naive();
    let midnight = |days_ago: u64| {
        let date = today.checked_sub_days(Days::new(days_ago)).unwrap();
        Amsterdam.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap()).unwrap().timestamp_millis()
    };
    let (day_before, day, day_after) = (midnight(4), midnight(3), midnight(2));
    for (site, origin, ids) in [("ams", AMS, [10, 11]), ("acme", ACME, [12, 13])] {
        let late = report(site, ids[0], day - HOUR_MS, 1).encode();
        let early = report(site, ids[1], day, 2).encode();
        assert_eq!(server.post_report(Some(origin), &late).status, 202);
        assert_eq!(server.post_report(Some(origin), &early).status, 202);
    }
    let local = server.get(&format!("/api/kpis?site=ams&from={day_before}&to={day_after}")).json();
    assert_eq!((local["bucket"].as_str(), local["timeZone"].as_str()), (Some("day"), Some("Europe/Amsterdam")));
    let series = local["series"].as_array().unwrap();
    let bounds: Vec<(i64, i64)> =
        series.iter().map(|item| (item["from"].as_i64().unwrap(), item["to"].as_i64().unwrap())).collect();
    assert_eq!(bounds, [(day_before, day), (day, day_after)]);
    let page_views: Vec<&Value> =
        series.iter().map(|item| &item["kpis"]["engagement"]["supportPageShare"]["den"]).collect();
    assert_eq!(page_views, [&json!(1), &json!(2)]);
    // The same two hours fall on one UTC day for a UTC site.
    let utc_day = (day - HOUR_MS) / DAY_MS * DAY_MS;
    let utc = server.get(&format!("/api/kpis?site=acme&from={utc_day}&to={}", utc_day + DAY_MS)).json();
    assert_eq!(utc["series"].as_array().unwrap().len(), 1);
    assert_eq!(utc["series"][0]["reports"], 2);
    assert_eq!(utc["kpis"]["engagement"]["supportPageShare"]["den"], 3);
}
}

each_store! {
fn the_default_range_is_the_last_seven_days_by_day(store) {
    let server = Server::start(store, &[]);
    assert_eq!(server.post_report(Some(ACME), &report("acme", 20, this_hour(), 4).encode()).status, 202);
    let answer = server.get("/api/kpis?site=acme").json();
    assert_eq!(answer["bucket"], "day");
    assert_eq!(answer["series"].as_array().unwrap().len(), 8, "seven days back, widened to whole days");
    assert_eq!(answer["kpis"]["engagement"]["supportPageShare"]["den"], 4);
    assert_eq!(answer["series"][7]["reports"], 1);
}
}

each_store! {
fn health_check(store) {
    let server = Server::start(store, &[]);
    let health = server.get_with("/healthz", &[]);
    assert_eq!((health.status, health.text()), (200, crate::stores::health(store)));
}
}

/// A seeded source of random bits for noising reports in tests.
struct XorShift(u64);

impl support_kpi::dp::RandomSource for XorShift {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

each_store! {
fn noised_reports_are_merged_and_marked_as_noisy(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour() - 2 * HOUR_MS;
    let config = r#"{"siteKey":"private","dpEpsilon":2}"#;
    let mut random = XorShift(0x5eed);
    let mut merged = Report::empty("private", 60);
    for n in 0..20u8 {
        let mut engine = NativeEngine::from_config_json(config.as_bytes()).unwrap();
        let page_view = format!(r#"{{"type":"page_view","ts":{},"support":true}}"#, hour + i64::from(n) * 60_000);
        engine.track_json(page_view.as_bytes()).unwrap();
        let noised = engine.take_outgoing_report(ReportId([n + 1; 16]), &mut random);
        assert_eq!(server.post_report(Some(PRIVATE), &noised.encode()).status, 202);
        merged.merge(&noised).unwrap();
    }
    let exact = report("private", 99, hour + HOUR_MS, 3);
    assert_eq!(server.post_report(Some(PRIVATE), &exact.encode()).status, 202);
    merged.merge(&exact).unwrap();

    let target = format!("/api/kpis?site=private&from={hour}&to={}&bucket=hour", hour + 2 * HOUR_MS);
    let answer = server.get(&target).json();
    let expected: Value = serde_json::from_str(&kpis_json(&merged)).unwrap();
    assert_eq!(answer["kpis"], expected, "noised counts merge like exact ones");
    let one = support_kpi::dp::Noise::of_one_report(2000).variance;
    assert_eq!(answer["kpis"]["noise"], json!({"reports": 20, "variance": 20 * one}));
    assert_eq!(answer["series"][0]["kpis"]["noise"]["reports"], 20);
    assert_eq!(answer["series"][1]["kpis"]["noise"], Value::Null, "the exact hour is not marked");
}
}
