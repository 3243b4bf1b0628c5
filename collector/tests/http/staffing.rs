//! `GET /api/staffing`: Erlang C advice per weekday-hour from measured demand.

use super::server::{ACME, Server, this_hour};
use serde_json::Value;
use support_kpi::time::{DAY_MS, HOUR_MS};
use support_kpi::{NativeEngine, Report, ReportId};

/// One week ending at the current hour, in whole hours.
fn last_week() -> (i64, i64) {
    let to = this_hour();
    (to - 7 * DAY_MS, to)
}

/// 200 visitors, each starting a 180 s chat in the hour `hour` (answered after 5 s, while online):
/// the worked example of 100 contacts per 30 minutes at one hour of one week.
fn busy_hour(hour: i64) -> Report {
    let mut total = Report::empty("acme", 60);
    for visitor in 0..200 {
        let mut device = NativeEngine::from_config_json(br#"{"siteKey":"acme"}"#).unwrap();
        let start = hour + visitor * 15_000;
        for (kind, at, members) in [
            ("availability", start - 1000, r#","online":true"#),
            ("page_view", start - 1000, r#","support":true"#),
            ("chat_started", start, ""),
            ("agent_message", start + 5000, ""),
            ("chat_ended", start + 180_000, ""),
        ] {
            device.track_json(format!(r#"{{"type":"{kind}","ts":{at}{members}}}"#).as_bytes()).unwrap();
        }
        total.merge(&device.totals()).unwrap();
    }
    total.set_id(Some(ReportId([7; 16])));
    total
}

each_store! {
fn advises_each_weekday_hour_from_the_measured_demand(store) {
    let server = Server::start(store, &[]);
    let (from, to) = last_week();
    let hour = from + 26 * HOUR_MS;
    assert_eq!(server.post_report(Some(ACME), &busy_hour(hour).encode()).status, 202);
    let answer = server.get(&format!("/api/staffing?site=acme&from={from}&to={to}&seconds=20")).json();
    assert_eq!((answer["from"].as_i64(), answer["to"].as_i64()), (Some(from), Some(to)));
    assert_eq!((answer["target"].as_f64(), answer["answerSeconds"].as_f64()), (Some(0.8), Some(20.0)));
    assert_eq!((answer["handled"].as_i64(), answer["handleSeconds"].as_f64()), (Some(200), Some(180.0)));
    let hours = answer["hours"].as_array().unwrap();
    assert_eq!(hours.len(), 168);
    let week_hour = |ts: i64| {
        let days_since_monday = (ts.div_euclid(DAY_MS) + 3).rem_euclid(7); // 1970-01-01 was a Thursday.
        (days_since_monday * 24 + ts.rem_euclid(DAY_MS) / HOUR_MS) as usize
    };
    let busy = &hours[week_hour(hour)];
    assert_eq!((busy["chatsStarted"].as_i64(), busy["arrivalsPerHour"].as_f64()), (Some(200), Some(200.0)));
    assert_eq!(busy["occurrences"], 1.0);
    assert_eq!(busy["presence"]["value"], 1.0);
    let advice = &busy["advice"];
    assert_eq!(advice["agents"], 14, "{advice}");
    assert_eq!(advice["serviceLevel"], 0.88835);
    assert_eq!(advice["probabilityOfWaiting"], 0.174132);
    assert_eq!(advice["occupancy"], 0.714286);
    let quiet = &hours[(week_hour(hour) + 1) % 168];
    assert_eq!((quiet["advice"]["agents"].as_i64(), quiet["presence"]["value"].clone()), (Some(0), Value::Null));

    let options = "&seconds=20&shrinkage=0.3&maxOccupancy=0.85&target=0.8&concurrency=1";
    let shrunk = server.get(&format!("/api/staffing?site=acme&from={from}&to={to}{options}")).json();
    let advice = &shrunk["hours"][week_hour(hour)]["advice"];
    assert_eq!((advice["agents"].as_i64(), advice["scheduled"].as_i64()), (Some(14), Some(20)));
    let pairs = server.get(&format!("/api/staffing?site=acme&from={from}&to={to}&seconds=20&concurrency=2")).json();
    assert!(pairs["hours"][week_hour(hour)]["advice"]["agents"].as_i64().unwrap() < 14, "two chats at once");
}
}

each_store! {
fn without_handled_chats_there_is_no_advice(store) {
    let server = Server::start(store, &[]);
    let answer = server.get("/api/staffing?site=ams").json();
    assert_eq!(answer["timeZone"], "Europe/Amsterdam");
    assert_eq!(answer["answerSeconds"], 60.0, "the site's service-level seconds by default");
    let span = answer["to"].as_i64().unwrap() - answer["from"].as_i64().unwrap();
    assert!((28 * DAY_MS..=28 * DAY_MS + HOUR_MS).contains(&span), "four weeks, widened to whole hours: {span}");
    assert_eq!(answer["handleSeconds"], Value::Null);
    assert!(answer["hours"].as_array().unwrap().iter().all(|hour| hour["advice"].is_null()));
}
}

each_store! {
fn bad_parameters_are_refused_naming_them(store) {
    let server = Server::start(store, &[]);
    let cases = [
        ("", "site", "site: is required"),
        ("site=nope", "site", "site: \"nope\" is not a configured site"),
        ("site=acme&target=1", "target", "target: must be a number above 0 and below 1"),
        ("site=acme&target=high", "target", "target: must be a number"),
        ("site=acme&seconds=-1", "seconds", "seconds: must be a number of seconds of at least 0"),
        ("site=acme&concurrency=0", "concurrency", "concurrency: must be a number of at least 1"),
        ("site=acme&shrinkage=1", "shrinkage", "shrinkage: must be a number from 0 to below 1"),
        ("site=acme&maxOccupancy=NaN", "maxOccupancy", "maxOccupancy: must be a number"),
        ("site=acme&maxOccupancy=1.5", "maxOccupancy", "maxOccupancy: must be a number above 0 and at most 1"),
        ("site=acme&from=1795392000000&to=1795392000000", "to", "to: must be after from"),
        ("site=acme&from=1700000000000&to=1795392000000", "from", "from: must be at most 366 days before to"),
        ("site=acme&target=0.8&target=0.9", "target", "target: appears more than once"),
        (
            "site=acme&bucket=hour",
            "bucket",
            "bucket: is not a known parameter (site, from, to, target, seconds, concurrency, shrinkage, maxOccupancy)",
        ),
    ];
    for (query, field, error) in cases {
        server.get(&format!("/api/staffing?{query}")).assert_error(400, field, error);
    }
    server.get_with("/api/staffing?site=acme", &[]).assert_error(
        401,
        "Authorization",
        "Authorization: a bearer token is required",
    );
}
}
