//! Hostile JSON bodies: refused fast, naming the field, nothing stored.

use super::server::{ACME, Server};
use std::time::{Duration, Instant};

/// Fast enough for an answer that never reaches the writer (generous for a loaded test machine).
const FAST: Duration = Duration::from_millis(500);

each_store! {
fn deeply_nested_bodies_are_refused_fast(store) {
    let server = Server::start(store, &[]);
    // 100,000 levels take 100,000 bytes: over the body limit before any parsing.
    let start = Instant::now();
    let response = server.post_report(Some(ACME), &"[".repeat(100_000));
    response.assert_error(413, "body", "body: must be at most 65536 bytes");
    assert!(start.elapsed() < FAST, "{:?}", start.elapsed());
    // The deepest arrays that fit: the decoder stops at depth 16.
    for (body, field) in [
        ("[".repeat(65_000), "report"),
        (format!("{{\"v\":1,\"site\":\"acme\",\"hours\":{}", "[".repeat(65_000)), "hours"),
    ] {
        let start = Instant::now();
        let response = server.post_report(Some(ACME), &body);
        let error = format!("{field}: is nested too deeply");
        response.assert_error(400, field, &error);
        assert!(start.elapsed() < FAST, "{field}: {:?}", start.elapsed());
    }
    assert_eq!(server.get("/api/kpis?site=acme").json()["reports"], 0);
}
}

each_store! {
fn sixty_kilobytes_of_keys_are_refused_fast(store) {
    let server = Server::start(store, &[]);
    let keys = |prefix: &str, value: &str, count: usize| {
        (0..count).map(|i| format!("\"{prefix}{i:05}\":{value}")).collect::<Vec<_>>().join(",")
    };
    let top = format!("{{{}}}", keys("k", "1", 5_400));
    let goals = format!("{{\"v\":1,\"site\":\"acme\",\"goals\":{{{}}}}}", keys("g", "[1]", 5_000));
    for (body, field, error) in [
        (&top, "k00000", "k00000: is not a known field"),
        (&goals, "goals.g00064", "goals.g00064: is one name too many (at most 64)"),
    ] {
        assert!((55_000..=65_536).contains(&body.len()), "{}", body.len());
        let start = Instant::now();
        server.post_report(Some(ACME), body).assert_error(400, field, error);
        assert!(start.elapsed() < FAST, "{field}: {:?}", start.elapsed());
    }
    assert_eq!(server.get("/api/kpis?site=acme").json()["reports"], 0);
}
}
