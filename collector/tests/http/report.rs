//! `POST /api/report`: validation, CORS, de-duplication.

use super::client;
use super::server::{ACME, AMS, Server, report, this_hour};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};
use support_kpi::{Report, ReportId};

each_store! {
fn stores_a_report_once_and_acknowledges_retries(store) {
    let server = Server::start(store, &[]);
    let body = report("acme", 1, this_hour(), 3).encode();
    let first = server.post_report(Some(ACME), &body);
    assert_eq!(first.status, 202, "{}", first.text());
    assert_eq!(first.json(), serde_json::json!({"status": "stored"}));
    for _ in 0..3 {
        let again = server.post_report(Some(ACME), &body);
        assert_eq!((again.status, again.json()), (202, serde_json::json!({"status": "duplicate"})));
    }
    let kpis = server.get("/api/kpis?site=acme").json();
    assert_eq!(kpis["reports"], 1);
    assert_eq!(kpis["kpis"]["engagement"]["supportPageShare"]["den"], 3);
}
}

each_store! {
fn a_report_replayed_100_times_at_once_counts_once(store) {
    let server = Arc::new(Server::start(store, &[]));
    let body = Arc::new(report("acme", 77, this_hour(), 5).encode());
    let start = Arc::new(Barrier::new(100));
    let senders: Vec<_> = (0..100)
        .map(|_| {
            let (server, body, start) = (Arc::clone(&server), Arc::clone(&body), Arc::clone(&start));
            std::thread::spawn(move || {
                start.wait();
                let response = server.post_report(Some(ACME), &body);
                assert_eq!(response.status, 202, "{}", response.text());
                response.json()["status"].as_str().unwrap().to_owned()
            })
        })
        .collect();
    let mut statuses: Vec<String> = senders.into_iter().map(|sender| sender.join().unwrap()).collect();
    statuses.sort();
    assert_eq!(statuses.iter().filter(|s| *s == "stored").count(), 1);
    assert_eq!(statuses.iter().filter(|s| *s == "duplicate").count(), 99);
    let kpis = server.get("/api/kpis?site=acme").json();
    assert_eq!(kpis["reports"], 1);
    assert_eq!(kpis["kpis"]["engagement"]["supportPageShare"]["den"], 5);
}
}

each_store! {
fn each_site_is_limited_to_its_rate(store) {
    let server = Server::start(store, &["--rate-limit", "1", "--rate-burst", "2"]);
    let post = |site: &str, id: u128| {
        let origin = if site == "acme" { Some(ACME) } else { None };
        server.post_report(origin, &report(site, id, this_hour(), 1).encode())
    };
    // A report refused for another reason takes no token.
    let wrong_origin = server.post_report(Some(AMS), &report("acme", 1, this_hour(), 1).encode());
    assert_eq!(wrong_origin.status, 403);
    // The burst passes, then the bucket is empty. A slow machine may see a
    // token come back between two posts, so they go on until one is refused,
    // and no more pass than the burst and one per second that went by.
    let start = Instant::now();
    let mut accepted: u32 = 0;
    let (refused_id, limited) = loop {
        let id = u128::from(accepted) + 1;
        let response = post("acme", id);
        if response.status != 202 {
            break (id, response);
        }
        accepted += 1;
        assert!(accepted < 100, "100 reports passed a limit of 1 per second");
    };
    let seconds = start.elapsed().as_secs_f64();
    assert!(accepted >= 2 && f64::from(accepted) <= 2.0 + seconds, "{accepted} reports passed in {seconds} s");
    limited.assert_error(429, "site", "site: \"acme\" sends more than 1 reports per second (bursts of 2)");
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("access-control-allow-origin"), Some(ACME), "the page can read why");
    assert_eq!(post("open", 1000).status, 202, "another site has its own bucket");
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(post("acme", refused_id).json()["status"], "stored", "a token came back after a second");
    assert_eq!(server.get("/api/kpis?site=acme").json()["reports"], i64::from(accepted) + 1);
}
}

each_store! {
fn accepts_json_content_type_too(store) {
    let server = Server::start(store, &[]);
    let body = report("acme", 2, this_hour(), 1).encode();
    let headers = [("Content-Type", "application/json"), ("Origin", ACME)];
    let response = client::send(server.addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap();
    assert_eq!(response.status, 202, "{}", response.text());
}
}

each_store! {
fn bad_reports_are_refused_naming_the_field(store) {
    let server = Server::start(store, &[]);
    let hour = this_hour();
    let valid = report("acme", 3, hour, 1).encode();
    let mut no_id = report("acme", 3, hour, 1);
    no_id.set_id(None);
    let mut no_period = Report::empty("acme", 60);
    no_period.set_id(Some(ReportId(3u128.to_be_bytes())));
    let cases: Vec<(String, u16, &str, String)> = vec![
        (
            String::from("{\"v\":1,"),
            400,
            "report",
            String::from("report: invalid JSON (unexpected end of input at byte 7)"),
        ),
        (
            valid.replace("\"v\":1", "\"v\":2"),
            400,
            "v",
            String::from("v: must be 1, the schema version this build reads"),
        ),
        (
            valid.replace("\"engagement\":[1]", "\"engagement\":[-1]"),
            400,
            "engagement[0]",
            String::from("engagement[0]: must be an integer from 0 to 2^53-1"),
        ),
        (valid.replace("\"v\":1", "\"v\":1,\"colour\":1"), 400, "colour", String::from("colour: is not a known field")),
        (no_id.encode(), 400, "id", String::from("id: is required")),
        (no_period.encode(), 400, "period", String::from("period: is required")),
        (report("nope", 3, hour, 1).encode(), 400, "site", String::from("site: \"nope\" is not a configured site")),
        (
            valid.replace("\"serviceLevelSeconds\":60", "\"serviceLevelSeconds\":30"),
            400,
            "serviceLevelSeconds",
            String::from("serviceLevelSeconds: must be 60, the threshold configured for site \"acme\""),
        ),
    ];
    for (body, status, field, error) in cases {
        let response = server.post_report(Some(ACME), &body);
        response.assert_error(status, field, &error);
        assert_eq!(response.header("access-control-allow-origin"), Some(ACME), "errors are readable by the page");
    }
    assert_eq!(server.get("/api/kpis?site=acme").json()["reports"], 0, "nothing was stored");
}
}

each_store! {
fn oversize_bodies_and_other_content_types_are_refused(store) {
    let server = Server::start(store, &[]);
    let huge = format!("{{\"v\":1,\"site\":\"acme\",\"pad\":\"{}\"}}", "x".repeat(70_000));
    server.post_report(Some(ACME), &huge).assert_error(413, "body", "body: must be at most 65536 bytes");
    // Without a declared length the limit applies while reading.
    let chunked = format!("{:x}\r\n{huge}\r\n0\r\n\r\n", huge.len());
    let headers = [("Content-Type", "text/plain"), ("Origin", ACME), ("Transfer-Encoding", "chunked")];
    let response = client::send(server.addr, "POST", "/api/report", &headers, chunked.as_bytes()).unwrap();
    response.assert_error(413, "body", "body: must be at most 65536 bytes");
    let headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", ACME)];
    let body = report("acme", 4, this_hour(), 1).encode();
    let response = client::send(server.addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap();
    response.assert_error(415, "Content-Type", "Content-Type: must be text/plain or application/json");
    let response = client::send(server.addr, "POST", "/api/report", &[("Origin", ACME)], body.as_bytes()).unwrap();
    assert_eq!(response.status, 415);
}
}

each_store! {
fn origins_are_checked_per_site(store) {
    let server = Server::start(store, &[]);
    let body = report("acme", 5, this_hour(), 1).encode();
    let evil = server.post_report(Some("https://evil.example"), &body);
    evil.assert_error(403, "Origin", "Origin: \"https://evil.example\" is not allowed for site \"acme\"");
    let other_site = server.post_report(Some(AMS), &body);
    other_site.assert_error(403, "Origin", "Origin: \"https://ams.example\" is not allowed for site \"acme\"");
    let missing = server.post_report(None, &body);
    missing.assert_error(
        403,
        "Origin",
        "Origin: is required for site \"acme\" (only a site listing \"*\" accepts reports without one)",
    );
    let allowed = server.post_report(Some(ACME), &body);
    assert_eq!(allowed.status, 202);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(ACME));
    assert_eq!(allowed.header("vary"), Some("Origin"));
    // A site listing "*" takes reports from anywhere, with or without an Origin.
    let open = report("open", 6, this_hour(), 1).encode();
    assert_eq!(server.post_report(None, &open).status, 202);
    let anywhere = server.post_report(Some("https://anywhere.example"), &report("open", 7, this_hour(), 1).encode());
    assert_eq!(anywhere.status, 202);
    assert_eq!(anywhere.header("access-control-allow-origin"), Some("https://anywhere.example"));
    // Found by fuzzing: an Origin of "*" (no browser sends one) was echoed, granting every page.
    let star = server.post_report(Some("*"), &report("open", 8, this_hour(), 1).encode());
    assert_eq!(star.status, 202);
    assert_eq!(star.header("access-control-allow-origin"), None);
}
}

each_store! {
fn preflights_are_answered_for_allowed_origins(store) {
    let server = Server::start(store, &["--site", "solo=https://solo.example"]);
    let preflight = |origin: &str| {
        let headers = [
            ("Origin", origin),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ];
        client::send(server.addr, "OPTIONS", "/api/report", &headers, b"").unwrap()
    };
    let allowed = preflight("https://solo.example");
    assert_eq!(allowed.status, 204);
    assert_eq!(allowed.header("access-control-allow-origin"), Some("https://solo.example"));
    assert_eq!(allowed.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(allowed.header("access-control-allow-headers"), Some("Content-Type"));
    assert_eq!(allowed.header("access-control-allow-credentials"), None);
    assert_eq!(allowed.header("vary"), Some("Origin"));
    // Site "open" lists "*": every origin may send, and gets its own origin back, never "*".
    let any = preflight("https://elsewhere.example");
    assert_eq!(any.header("access-control-allow-origin"), Some("https://elsewhere.example"));
    let no_origin = client::send(server.addr, "OPTIONS", "/api/report", &[], b"").unwrap();
    assert_eq!(no_origin.status, 403);
    assert_eq!(no_origin.header("access-control-allow-origin"), None);
}
}

each_store! {
fn unknown_origins_pass_no_preflight_but_can_read_refusals(store) {
    let strict = Server::with_sites(store, r#"[{"key":"acme","origins":["https://help.acme.example"]}]"#, &[]);
    let headers = [("Origin", "https://evil.example"), ("Access-Control-Request-Method", "POST")];
    let refused = client::send(strict.addr, "OPTIONS", "/api/report", &headers, b"").unwrap();
    refused.assert_error(403, "Origin", "Origin: \"https://evil.example\" is not allowed for reports");
    assert_eq!(refused.header("access-control-allow-origin"), None);
    // A refusal is readable, so that a widget on a wrong origin stops retrying.
    let body = report("acme", 30, this_hour(), 1).encode();
    let post = strict.post_report(Some("https://evil.example"), &body);
    post.assert_error(403, "Origin", "Origin: \"https://evil.example\" is not allowed for site \"acme\"");
    assert_eq!(post.header("access-control-allow-origin"), Some("https://evil.example"));
    assert_eq!(strict.post_report(Some(ACME), &body).header("access-control-allow-origin"), Some(ACME));
    // Found by fuzzing: an Origin that is not ASCII was echoed as "(not ASCII)".
    let unreadable = strict.post_report(Some("https://hélp.acme.example"), &body);
    unreadable.assert_error(403, "Origin", "Origin: \"(not ASCII)\" is not allowed for site \"acme\"");
    assert_eq!(unreadable.header("access-control-allow-origin"), None);
}
}
