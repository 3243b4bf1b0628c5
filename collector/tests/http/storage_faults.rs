//! Storage faults are loud (issue finding 6): a database file removed or
//! replaced under the running collector turns every later report into a
//! 503, logged once with its cause and path, and `/healthz` unhealthy; a
//! damaged or read-only database is refused at start, saying what to do.
//!
//! SQLite only: these faults are done to the SQLite file (removed, replaced,
//! damaged, read-only). PostgreSQL's outage, which passes, is in `ops.rs`.

use super::binary::Binary;
use super::client;
use super::server::{TOKEN, path, report, this_hour};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use support_kpi_collector::store::sqlite::SqliteStore;

const ORIGIN: &str = "https://faults.example";
/// Sent with every request: it must never reach the log.
const AGENT: &str = "hostile-agent/1.0";

fn launch(db: &Path) -> Binary {
    Binary::launch(path(db), &format!("faults={ORIGIN}"), &[])
}

fn post(addr: SocketAddr, id: u128) -> client::Response {
    let body = report("faults", id, this_hour(), 1).encode();
    let headers = [("Content-Type", "text/plain"), ("Origin", ORIGIN), ("User-Agent", AGENT)];
    client::send(addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap()
}

fn health(addr: SocketAddr) -> client::Response {
    client::send(addr, "GET", "/healthz", &[("User-Agent", AGENT)], b"").unwrap()
}

/// The lines of `stderr` about the storage failure.
fn failure_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|line| line.contains("storage failed")).collect()
}

#[test]
fn a_removed_database_file_stops_every_acknowledgement() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kpi.db");
    let collector = launch(&db);
    assert_eq!(post(collector.addr, 1).status, 202);
    assert_eq!(health(collector.addr).text(), crate::stores::health(crate::stores::Kind::Sqlite));
    std::fs::remove_file(&db).unwrap();
    let cause = format!(
        "database {}: the file was removed while the collector ran, so nothing more is stored; put the database \
         back (or move the new file away) and restart the collector",
        path(&db)
    );
    for id in 2..5 {
        let answer = post(collector.addr, id);
        answer.assert_error(503, "storage", &format!("storage: {cause}"));
    }
    let answer = health(collector.addr);
    assert_eq!((answer.status, answer.text()), (503, format!("unhealthy: {cause}\nstore: sqlite, schema version 2\n")));
    let stderr = collector.terminate();
    let lines = failure_lines(&stderr);
    assert_eq!(lines, [format!("support-kpi-collector: storage failed, answering 503 until restarted: {cause}")]);
    assert!(!stderr.contains(AGENT), "{stderr}");
}

#[test]
fn a_replaced_database_file_is_noticed_before_the_next_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kpi.db");
    let other = dir.path().join("other.db");
    drop(SqliteStore::open(&other).unwrap());
    let collector = launch(&db);
    assert_eq!(post(collector.addr, 1).status, 202);
    std::fs::rename(&other, &db).unwrap();
    let answer = health(collector.addr);
    assert_eq!(answer.status, 503);
    assert!(answer.text().contains("the file was replaced while the collector ran"), "{}", answer.text());
    assert_eq!(post(collector.addr, 2).status, 503);
    let stderr = collector.terminate();
    assert_eq!(failure_lines(&stderr).len(), 1, "{stderr}");
    assert!(failure_lines(&stderr)[0].contains(path(&db)), "{stderr}");
}

/// Runs `serve` on `db` (as `user` when given), expects it to fail, and returns its stderr.
fn refused_start(db: &Path, user: Option<&str>) -> String {
    let binary = env!("CARGO_BIN_EXE_support-kpi-collector");
    let mut command = match user {
        Some(user) => {
            let mut setpriv = Command::new("setpriv");
            setpriv.args([&format!("--reuid={user}"), &format!("--regid={user}"), "--clear-groups", "--", binary]);
            setpriv
        }
        None => Command::new(binary),
    };
    let output = command
        .args(["serve", "--listen", "127.0.0.1:0", "--db", path(db), "--read-token", TOKEN, "--site", "a=*"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "the collector must refuse to start");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_damaged_database_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kpi.db");
    std::fs::write(&db, "these bytes are no SQLite database, not even its header").unwrap();
    let stderr = refused_start(&db, None);
    let advice = "restore it from a backup, or move it away to start with an empty database";
    assert_eq!(stderr, format!("support-kpi-collector: database {}: file is not a database; {advice}\n", path(&db)));

    // A real database with a page overwritten: its header is fine, its tree is not.
    let damaged = dir.path().join("damaged.db");
    let store = SqliteStore::open(&damaged).unwrap();
    let ingest = (0..300u128).map(|id| support_kpi_collector::store::Incoming {
        id: support_kpi::ReportId(id.to_be_bytes()),
        hour: this_hour(),
        received_hour: this_hour(),
        report: report("a", id, this_hour(), 1),
    });
    use support_kpi_collector::store::Store;
    store.ingest(&ingest.collect::<Vec<_>>()).unwrap();
    drop(store);
    let mut bytes = std::fs::read(&damaged).unwrap();
    assert!(bytes.len() > 4 * 1024, "{} bytes", bytes.len());
    bytes[2 * 1024..3 * 1024].fill(0x5a);
    std::fs::write(&damaged, bytes).unwrap();
    let stderr = refused_start(&damaged, None);
    let start = format!("support-kpi-collector: database {}: ", path(&damaged));
    assert!(stderr.starts_with(&start) && stderr.ends_with(&format!("{advice}\n")), "{stderr}");
}

#[test]
fn a_read_only_database_is_refused_at_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kpi.db");
    drop(SqliteStore::open(&db).unwrap());
    let mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    mode(&db, 0o444);
    mode(dir.path(), 0o555);
    // Root may write anything: the collector then runs as "nobody".
    let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let stderr = refused_start(&db, root.then_some("65534"));
    mode(dir.path(), 0o755);
    let expected = format!(
        "support-kpi-collector: database {}: is read-only; make the file and its directory writable by this user \
         (SQLite writes the -wal and -shm files beside it), or give --db a writable path\n",
        path(&db)
    );
    assert_eq!(stderr, expected);
}
