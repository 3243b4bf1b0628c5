//! Operations: `GET /metrics` (Prometheus text, no site named in it), a
//! graceful shutdown that commits and answers every report in flight, and
//! `/healthz` failing while PostgreSQL cannot be used, and recovering when
//! it answers again.

use super::binary::Binary;
use super::client;
use super::server::{ACME, AMS, Server, TOKEN, report, this_hour};
use super::stores::{TestDb, postgres_only};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

each_store! {
fn metrics_count_reports_by_outcome_and_reason_without_naming_sites(store) {
    let server = Server::start(store, &[]);
    let body = report("acme", 1, this_hour(), 2).encode();
    assert_eq!(server.post_report(Some(ACME), &body).status, 202);
    assert_eq!(server.post_report(Some(ACME), &body).status, 202);
    assert_eq!(server.post_report(Some(AMS), &body).status, 403);
    assert_eq!(server.post_report(Some(ACME), "{").status, 400);
    assert_eq!(server.get_with("/metrics", &[]).status, 401);
    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert_eq!(metrics.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    let text = metrics.text();
    let kind = match store {
        crate::stores::Kind::Sqlite => "sqlite",
        crate::stores::Kind::Postgres => "postgresql",
    };
    for line in [
        "support_kpi_reports_total{outcome=\"stored\"} 1",
        "support_kpi_reports_total{outcome=\"duplicate\"} 1",
        "support_kpi_reports_refused_total{reason=\"origin\"} 1",
        "support_kpi_reports_refused_total{reason=\"invalid\"} 1",
        "support_kpi_ingest_seconds_count 2",
        "support_kpi_store_errors_total 0",
        &format!("support_kpi_store_info{{store=\"{kind}\",schema_version=\"{}\"}} 1", if kind == "sqlite" { 2 } else { 1 }),
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    let batches: u64 = text.lines().find_map(|l| l.strip_prefix("support_kpi_batch_reports_count ")).unwrap().parse().unwrap();
    assert!((1..=2).contains(&batches), "{batches} batches");
    assert_eq!(text.contains("support_kpi_store_pool_connections{state=\"max\"} 8"), kind == "postgresql");
    for private in ["acme", "ams", "help.acme.example", "127.0.0.1"] {
        assert!(!text.contains(private), "{private} in\n{text}");
    }
}
}

each_store! {
fn a_graceful_shutdown_commits_and_answers_every_report_in_flight(store) {
    const ORIGIN: &str = "https://drain.example";
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(store, dir.path());
    let collector = Binary::launch(&db.db, &format!("drain={ORIGIN}"), &[]);
    let addr = collector.addr;
    let post = move |id: u128| {
        let body = report("drain", id, this_hour(), 1).encode();
        let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", ORIGIN)];
        client::send(addr, "POST", "/api/report", &headers, body.as_bytes())
    };
    let acked = Arc::new(Mutex::new(Vec::new()));
    let acks = Arc::new(AtomicUsize::new(0));
    let stopping = Arc::new(AtomicBool::new(false));
    let (half_way, signal) = mpsc::channel();
    let senders: Vec<_> = (0..6u128)
        .map(|sender| {
            let (acked, acks, stopping, half_way) = (acked.clone(), acks.clone(), stopping.clone(), half_way.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    match post(sender << 64 | n) {
                        Ok(response) => {
                            assert_eq!(response.status, 202, "{}", response.text());
                            acked.lock().unwrap().push(sender << 64 | n);
                            if acks.fetch_add(1, Ordering::SeqCst) + 1 == 300 {
                                let _ = half_way.send(());
                            }
                        }
                        Err(_) if stopping.load(Ordering::SeqCst) => return,
                        Err(error) => panic!("the collector failed before its shutdown: {error}"),
                    }
                }
            })
        })
        .collect();
    drop(half_way);
    signal.recv().unwrap();
    stopping.store(true, Ordering::SeqCst);
    collector.terminate();
    for sender in senders {
        sender.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let collector = Binary::launch(&db.db, &format!("drain={ORIGIN}"), &[]);
    let auth = format!("Bearer {TOKEN}");
    let answer = client::send(collector.addr, "GET", "/api/kpis?site=drain", &[("Authorization", &auth)], b"");
    assert_eq!(answer.unwrap().json()["reports"], acked.len(), "every 202 before the shutdown is stored");
    collector.kill();
}
}

#[test]
fn health_fails_while_the_postgresql_database_is_gone() {
    let Some((_dir, db)) = postgres_only() else { return };
    let collector = Binary::launch(&db.db, "gone=https://gone.example", &[]);
    let health = || client::send(collector.addr, "GET", "/healthz", &[], b"").unwrap();
    assert_eq!((health().status, health().text()), (200, crate::stores::health(crate::stores::Kind::Postgres)));
    db.remove();
    let failed = health();
    assert_eq!(failed.status, 503);
    assert!(failed.text().starts_with("unhealthy: database: "), "{}", failed.text());
    assert!(failed.text().ends_with("\nstore: postgresql, schema version 1\n"), "{}", failed.text());
    let body = report("gone", 1, this_hour(), 1).encode();
    let headers = [("Content-Type", "text/plain"), ("Origin", "https://gone.example")];
    let refused = client::send(collector.addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap();
    let json = refused.json();
    let error = json["error"].as_str().unwrap();
    assert!(error.starts_with("storage: database: "), "{error}");
    refused.assert_error(503, "storage", error);
    collector.kill();
}

#[test]
fn a_postgresql_outage_is_answered_503_while_it_lasts_then_the_collector_recovers() {
    let Some((_dir, db)) = postgres_only() else { return };
    let collector = Binary::launch(&db.db, "outage=https://outage.example", &[]);
    let addr = collector.addr;
    let health = || client::send(addr, "GET", "/healthz", &[], b"").unwrap();
    let post = |id: u128| {
        let body = report("outage", id, this_hour(), 1).encode();
        let headers = [("Content-Type", "text/plain"), ("Origin", "https://outage.example")];
        client::send(addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap().status
    };
    assert_eq!(post(1), 202);
    db.allow_connections(false);
    let down = health();
    assert_eq!(down.status, 503, "{}", down.text());
    assert!(down.text().starts_with("unhealthy: database: "), "{}", down.text());
    assert_eq!(post(2), 503);
    assert_eq!(health().status, 503, "still down");
    db.allow_connections(true);
    let up = health();
    assert_eq!((up.status, up.text()), (200, crate::stores::health(crate::stores::Kind::Postgres)));
    assert_eq!(post(2), 202, "the report refused during the outage was not kept: it is new now");
    assert_eq!(post(3), 202);
    let auth = format!("Bearer {TOKEN}");
    let answer = client::send(addr, "GET", "/api/kpis?site=outage", &[("Authorization", &auth)], b"").unwrap();
    assert_eq!(answer.json()["reports"], 3);
    let stderr = collector.terminate();
    let failed: Vec<_> = stderr.lines().filter(|line| line.contains("storage failed")).collect();
    assert_eq!(failed.len(), 1, "logged once per outage: {stderr}");
    assert!(failed[0].contains("answering 503 until the store answers again"), "{stderr}");
    assert_eq!(stderr.matches("support-kpi-collector: storage answers again").count(), 1, "{stderr}");
}
