//! `GET /api/kpis`: the CSV export and the cost per conversation.

use super::server::{ACME, Server, this_hour};
use support_kpi::time::HOUR_MS;
use support_kpi::{NativeEngine, ReportId};

/// Posts one report of `site` with two chats (one answered) in the hour two hours ago.
fn post_chats(server: &Server, site: &str, origin: &str) -> i64 {
    let hour = this_hour() - 2 * HOUR_MS;
    let mut device = NativeEngine::from_config_json(format!(r#"{{"siteKey":"{site}"}}"#).as_bytes()).unwrap();
    for (kind, at) in [("chat_started", hour), ("agent_message", hour + 5000), ("chat_started", hour + 60_000)] {
        device.track_json(format!(r#"{{"type":"{kind}","ts":{at}}}"#).as_bytes()).unwrap();
    }
    let mut report = device.totals();
    report.set_id(Some(ReportId([3; 16])));
    assert_eq!(server.post_report(Some(origin), &report.encode()).status, 202);
    hour
}

each_store! {
fn csv_has_a_header_and_one_row_per_bucket_with_every_num_and_den(store) {
    let server = Server::start(store, &[]);
    let hour = post_chats(&server, "acme", ACME);
    let (from, to) = (hour - HOUR_MS, hour + 2 * HOUR_MS);
    let csv = server.get(&format!("/api/kpis?site=acme&bucket=hour&from={from}&to={to}&format=csv"));
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.header("content-disposition"),
        Some(format!("attachment; filename=\"support-kpi-acme-{from}-{to}.csv\"").as_str())
    );
    let text = csv.text();
    let lines: Vec<&str> = text.split("\r\n").filter(|line| !line.is_empty()).collect();
    assert_eq!(lines.len(), 4, "a header and three hours: {text}");
    let header: Vec<&str> = lines[0].split(',').collect();
    assert_eq!(header[..4], ["from", "to", "fromUtc", "reports"]);
    let json = server.get(&format!("/api/kpis?site=acme&bucket=hour&from={from}&to={to}")).json();
    let first = &json["series"][0]["kpis"];
    for (family, members) in first.as_object().unwrap().iter().filter(|(_, v)| v.is_object()) {
        for (name, value) in members.as_object().unwrap() {
            if value.get("den").is_some() {
                for part in ["num", "den"] {
                    let column = format!("{family}.{name}.{part}");
                    assert!(header.contains(&column.as_str()), "{column} missing from {header:?}");
                }
            }
        }
    }
    let column = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let busy: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(busy[column("from")], hour.to_string());
    assert_eq!(busy[column("reports")], "1");
    assert_eq!((busy[column("speed.serviceLevel.num")], busy[column("speed.serviceLevel.den")]), ("1", "2"));
    assert_eq!(busy[column("speed.serviceLevel.value")], "0.5");
    let quiet: Vec<&str> = lines[1].split(',').collect();
    assert_eq!((quiet[column("speed.serviceLevel.den")], quiet[column("speed.serviceLevel.value")]), ("0", ""));
    server.get("/api/kpis?site=acme&format=xml").assert_error(400, "format", "format: must be json or csv");
}
}

each_store! {
fn cost_per_conversation_prorates_the_monthly_cost(store) {
    let sites = r#"[{"key":"acme","origins":["https://help.acme.example"],"monthlySupportCost":30436.875},
                    {"key":"free","origins":["*"]}]"#;
    let server = Server::with_sites(store, sites, &[]);
    let hour = post_chats(&server, "acme", ACME);
    let (from, to) = (hour - 23 * HOUR_MS, hour + HOUR_MS);
    let answer = server.get(&format!("/api/kpis?site=acme&bucket=hour&from={from}&to={to}")).json();
    // 30,436.875 a month is 1,000 a day: two chats in a day cost 500 each.
    assert_eq!(answer["costPerConversation"], serde_json::json!({"cost": 1000.0, "chats": 2, "value": 500.0}));
    let free = server.get(&format!("/api/kpis?site=free&bucket=hour&from={from}&to={to}")).json();
    assert!(free["costPerConversation"].is_null());
}
}
