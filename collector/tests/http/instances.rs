//! Two collector binaries on one PostgreSQL database: 5,000 reports (4,000
//! distinct, each duplicate sent to the other instance than its original),
//! sent concurrently to both; one instance is SIGKILLed mid-stream and
//! restarted while the others keep sending; then every report is sent
//! again. Totals are exact, no acknowledged report is lost, and both
//! instances answer the same KPIs. Rate-limit buckets are per instance.

use super::binary::Binary;
use super::client;
use super::server::{TOKEN, report, this_hour};
use super::stores::{TestDb, postgres_only};
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::Instant;

const ORIGIN: &str = "https://scale.example";
const DISTINCT: u128 = 4_000;
/// Every fourth report is sent twice: 1,000 duplicates, 20 % of 5,000.
const DUPLICATE_EVERY: u128 = 4;
/// Acknowledgements after which instance 0 is killed.
const KILL_AFTER: usize = 1_500;
const SENDERS: usize = 8;

fn page_views(id: u128) -> i64 {
    (id % 5) as i64 + 1
}

/// The 5,000 sends as (id, instance), in a fixed shuffled order.
fn plan() -> Vec<(u128, usize)> {
    let mut sends: Vec<(u128, usize)> = (0..DISTINCT).map(|id| (id, (id % 2) as usize)).collect();
    sends.extend((0..DISTINCT).step_by(DUPLICATE_EVERY as usize).map(|id| (id, 1 - (id % 2) as usize)));
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..sends.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        sends.swap(i, (state % (i as u64 + 1)) as usize);
    }
    sends
}

fn launch(db: &TestDb) -> Binary {
    Binary::launch(&db.db, &format!("scale={ORIGIN}"), &[])
}

/// The answer's status text ("stored" or "duplicate"), or `None` when the instance did not answer 202.
fn post(addr: SocketAddr, id: u128) -> Option<String> {
    let body = report("scale", id, this_hour(), page_views(id)).encode();
    let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", ORIGIN)];
    let response = client::send(addr, "POST", "/api/report", &headers, body.as_bytes()).ok()?;
    assert!(response.status == 202 || response.status == 503, "{}: {}", response.status, response.text());
    (response.status == 202).then(|| response.json()["status"].as_str().unwrap().to_owned())
}

fn kpis(addr: SocketAddr) -> serde_json::Value {
    let auth = format!("Bearer {TOKEN}");
    client::send(addr, "GET", "/api/kpis?site=scale", &[("Authorization", &auth)], b"").unwrap().json()
}

#[test]
fn two_instances_count_every_report_exactly_once_through_a_sigkill() {
    let Some((_dir, db)) = postgres_only() else { return };
    let instances = [launch(&db), launch(&db)];
    let addrs = Arc::new(RwLock::new([instances[0].addr, instances[1].addr]));
    let [first, second] = instances;
    let sends = Arc::new(plan());
    let next = Arc::new(AtomicUsize::new(0));
    let acks = Arc::new(AtomicUsize::new(0));
    let stored_acks = Arc::new(Mutex::new(Vec::new()));
    let (kill_now, kill_signal) = mpsc::channel();
    let started = Instant::now();
    let senders: Vec<_> = (0..SENDERS)
        .map(|_| {
            let (sends, next, acks, stored_acks, addrs) =
                (sends.clone(), next.clone(), acks.clone(), stored_acks.clone(), addrs.clone());
            let kill_now = kill_now.clone();
            std::thread::spawn(move || {
                let mut unanswered = 0;
                while let Some(&(id, instance)) = sends.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let addr = addrs.read().unwrap()[instance];
                    match post(addr, id).as_deref() {
                        Some(status) => {
                            if status == "stored" {
                                stored_acks.lock().unwrap().push(id);
                            }
                            if acks.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                                kill_now.send(()).unwrap();
                            }
                        }
                        None => unanswered += 1,
                    }
                }
                unanswered
            })
        })
        .collect();
    drop(kill_now);
    kill_signal.recv().expect("the senders finished before the kill");
    first.kill();
    let killed_at = acks.load(Ordering::SeqCst);
    let restarted = launch(&db);
    addrs.write().unwrap()[0] = restarted.addr;
    let unanswered: usize = senders.into_iter().map(|sender| sender.join().unwrap()).sum();
    let streamed = started.elapsed();
    let acked = acks.load(Ordering::SeqCst);
    let stored_acks = stored_acks.lock().unwrap().clone();
    assert_eq!(acked + unanswered, sends.len());
    let distinct_acked: HashSet<u128> = stored_acks.iter().copied().collect();
    assert_eq!(distinct_acked.len(), stored_acks.len(), "an id was acknowledged as stored twice");

    // What was acknowledged is there, on both instances.
    let addrs = *addrs.read().unwrap();
    let before = kpis(addrs[0]);
    assert_eq!(before, kpis(addrs[1]));
    let counted = before["reports"].as_i64().unwrap();
    assert!(counted >= stored_acks.len() as i64 && counted <= DISTINCT as i64, "{counted} counted");

    // Every report again, alternating instances: nothing acknowledged is new, nothing counts twice.
    let mut stored_again = 0;
    for (n, &(id, _)) in sends.iter().enumerate() {
        let status = post(addrs[n % 2], id).expect("an instance refused a resend");
        if status == "stored" {
            assert!(!distinct_acked.contains(&id), "report {id} was acknowledged, then lost");
            stored_again += 1;
        }
    }
    let after = kpis(addrs[0]);
    assert_eq!(after, kpis(addrs[1]), "the instances answer differently");
    let expected_views: i64 = (0..DISTINCT).map(page_views).sum();
    assert_eq!(after["reports"], DISTINCT as i64);
    assert_eq!(after["kpis"]["engagement"]["supportPageShare"]["den"], expected_views);
    assert_eq!(counted + stored_again, DISTINCT as i64);
    eprintln!(
        "two instances: {} sends in {streamed:.2?}, instance 0 SIGKILLed after {killed_at} acknowledgements; \
         {acked} acknowledged ({} stored), {unanswered} unanswered; {counted} counted before the resend, \
         {stored_again} stored by it, {} in total",
        sends.len(),
        stored_acks.len(),
        after["reports"]
    );
    restarted.kill();
    second.kill();
}

#[test]
fn rate_limit_buckets_are_per_instance() {
    let Some((_dir, db)) = postgres_only() else { return };
    let limited =
        |db: &TestDb| Binary::launch(&db.db, &format!("scale={ORIGIN}"), &["--rate-limit", "1", "--rate-burst", "2"]);
    let (first, second) = (limited(&db), limited(&db));
    let status = |addr: SocketAddr, id: u128| {
        let body = report("scale", id, this_hour(), 1).encode();
        let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", ORIGIN)];
        client::send(addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap().status
    };
    assert_eq!([status(first.addr, 1), status(first.addr, 2), status(first.addr, 3)], [202, 202, 429]);
    assert_eq!([status(second.addr, 4), status(second.addr, 5)], [202, 202], "the other instance has its own bucket");
    first.kill();
    second.kill();
}
