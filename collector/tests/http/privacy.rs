//! No IP address or user agent is stored or logged: the real binary gets
//! requests with a distinctive `User-Agent` and `X-Forwarded-For`, and
//! neither appears in its store (the SQLite files, or every row in
//! PostgreSQL) or on its stderr.

use super::binary::Binary;
use super::client;
use super::server::{TOKEN, report, this_hour};
use super::stores::TestDb;

const USER_AGENT: &str = "PrivacyProbe/9.7 (distinctive-agent-5f3a)";
const FORWARDED_FOR: &str = "203.0.113.77";
const ORIGIN: &str = "https://private.example";

each_store! {
fn user_agents_and_addresses_are_neither_stored_nor_logged(store) {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(store, dir.path());
    let collector = Binary::launch(&db.db, &format!("private={ORIGIN}"), &[]);
    let probe = [("User-Agent", USER_AGENT), ("X-Forwarded-For", FORWARDED_FOR), ("X-Real-IP", FORWARDED_FOR)];
    let with = |extra: &[(&'static str, &'static str)]| [&probe[..], extra].concat();
    let auth: &'static str = format!("Bearer {TOKEN}").leak();
    let headers = with(&[("Content-Type", "text/plain"), ("Origin", ORIGIN)]);
    let body = report("private", 1, this_hour(), 2).encode();
    let stored = client::send(collector.addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap();
    assert_eq!(stored.status, 202);
    let bad = client::send(collector.addr, "POST", "/api/report", &headers, b"{\"v\":1,").unwrap();
    assert_eq!(bad.status, 400);
    let evil = with(&[("Content-Type", "text/plain"), ("Origin", "https://evil.example")]);
    let forbidden = client::send(collector.addr, "POST", "/api/report", &evil, body.as_bytes()).unwrap();
    assert_eq!(forbidden.status, 403);
    let unauthorized = client::send(collector.addr, "GET", "/api/kpis?site=private", &probe, b"").unwrap();
    assert_eq!(unauthorized.status, 401);
    let read = with(&[("Authorization", auth)]);
    let kpis = client::send(collector.addr, "GET", "/api/kpis?site=private", &read, b"").unwrap();
    assert_eq!(kpis.json()["reports"], 1, "the report was stored");
    assert_eq!(client::send(collector.addr, "GET", "/missing.js", &probe, b"").unwrap().status, 404);

    let stderr = collector.terminate();
    let stored = db.contents(dir.path());
    assert!(!stored.is_empty());
    for needle in [USER_AGENT, "distinctive-agent", FORWARDED_FOR, "127.0.0.1"] {
        assert!(!contains(&stored, needle.as_bytes()), "{needle} in the store");
    }
    for needle in [USER_AGENT, "distinctive-agent", FORWARDED_FOR] {
        assert!(!stderr.contains(needle), "{needle} on stderr: {stderr}");
    }
    assert!(stderr.contains("listening on http://127.0.0.1:"), "{stderr}");
}
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}
