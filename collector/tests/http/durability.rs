//! SIGKILL mid-stream: what got a 202 survives, and retries never count twice.
//! A power loss is not simulated: the settings that make a commit reach the
//! disk are pinned instead (PostgreSQL's here, SQLite's in `store/sqlite.rs`).

use super::binary::Binary;
use super::client;
use super::server::{TOKEN, report, this_hour};
use super::stores::{TestDb, admin, postgres_only, query_text};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support_kpi_collector::store::Location;
use support_kpi_collector::store::postgres::PgStore;

const ORIGIN: &str = "https://durable.example";

fn launch(db: &TestDb) -> Binary {
    Binary::launch(&db.db, &format!("durable={ORIGIN}"), &[])
}

fn post(addr: SocketAddr, id: u128) -> std::io::Result<client::Response> {
    let body = report("durable", id, this_hour(), 1).encode();
    let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", ORIGIN)];
    client::send(addr, "POST", "/api/report", &headers, body.as_bytes())
}

/// (reports counted, page views counted) after a restart.
fn counted(addr: SocketAddr) -> (i64, i64) {
    let auth = format!("Bearer {TOKEN}");
    let answer = client::send(addr, "GET", "/api/kpis?site=durable", &[("Authorization", &auth)], b"").unwrap().json();
    let page_views = answer["kpis"]["engagement"]["supportPageShare"]["den"].as_i64().unwrap();
    (answer["reports"].as_i64().unwrap(), page_views)
}

each_store! {
fn acknowledged_reports_survive_sigkill_exactly_once(store) {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(store, dir.path());
    let collector = launch(&db);
    let addr = collector.addr;

    let sent = Arc::new(Mutex::new(Vec::new()));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let acks = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..6u128)
        .map(|client| {
            let (sent, acked, acks, killed) = (sent.clone(), acked.clone(), acks.clone(), killed.clone());
            std::thread::spawn(move || {
                for n in 0.. {
                    let id = client << 64 | n;
                    sent.lock().unwrap().push(id);
                    match post(addr, id) {
                        Ok(response) if response.status == 202 => {
                            assert_eq!(response.json()["status"], "stored");
                            acked.lock().unwrap().push(id);
                            acks.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(response) => panic!("unexpected answer {}: {}", response.status, response.text()),
                        Err(_) if killed.load(Ordering::SeqCst) => return,
                        Err(error) => panic!("the collector failed before it was killed: {error}"),
                    }
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acks.load(Ordering::SeqCst) < 1500 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    killed.store(true, Ordering::SeqCst);
    collector.kill();
    for client in clients {
        client.join().unwrap();
    }
    let sent = sent.lock().unwrap().clone();
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= 1500, "only {} reports were acknowledged", acked.len());

    let collector = launch(&db);
    let addr = collector.addr;
    let (reports, page_views) = counted(addr);
    assert!(acked.len() as i64 <= reports && reports <= sent.len() as i64, "{} acked, {reports} counted", acked.len());
    assert_eq!(page_views, reports);

    // Every report again, acknowledged or not: nothing counts twice, nothing is missing.
    let acked: std::collections::HashSet<u128> = acked.into_iter().collect();
    for &id in &sent {
        let status = post(addr, id).unwrap().json()["status"].as_str().unwrap().to_owned();
        if acked.contains(&id) {
            assert_eq!(status, "duplicate", "an acknowledged report was lost");
        }
    }
    assert_eq!(counted(addr), (sent.len() as i64, sent.len() as i64));
    collector.kill();
}
}

/// A commit on PostgreSQL returns once its WAL is flushed to the server's
/// disk (`synchronous_commit = on`) in every session the store opens, even
/// on a database whose default says otherwise.
#[test]
fn postgresql_sessions_commit_synchronously_whatever_the_database_default() {
    let Some((_dir, db)) = postgres_only() else { return };
    admin(
        &db.db,
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', current_database()); END $$",
    );
    assert_eq!(query_text(&db.db, "SHOW synchronous_commit"), "off", "the database's default for new sessions");
    let Ok(Location::Postgres(target)) = Location::parse(&db.db) else { panic!("not a PostgreSQL URL") };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let setting = runtime.block_on(async {
        let store = PgStore::open(&target, 2).await.unwrap();
        let client = store.pool().get().await.unwrap();
        client.query_one("SHOW synchronous_commit", &[]).await.unwrap().get::<_, String>(0)
    });
    assert_eq!(setting, "on", "synchronous_commit in a session of the store's pool");
}
