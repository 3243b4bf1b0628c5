//! SIGHUP reloads the sites file in the running binary: a good file takes
//! effect for new requests, a broken one is refused and the old one stays.

use super::binary::Binary;
use super::client;
use super::server::{TOKEN, path, report, this_hour};
use std::net::SocketAddr;

const A: &str = "https://a.example";
const B: &str = "https://b.example";

/// The status of a report of `site` POSTed from `origin`.
fn post(addr: SocketAddr, site: &str, id: u128, origin: &str) -> u16 {
    let body = report(site, id, this_hour(), 1).encode();
    let headers = [("Content-Type", "text/plain;charset=UTF-8"), ("Origin", origin)];
    client::send(addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap().status
}

/// The keys and time zones `GET /api/sites` lists.
fn listed(addr: SocketAddr) -> Vec<(String, String)> {
    let auth = format!("Bearer {TOKEN}");
    let sites = client::send(addr, "GET", "/api/sites", &[("Authorization", &auth)], b"").unwrap().json();
    let entries = sites["sites"].as_array().unwrap().iter();
    entries.map(|s| (s["key"].as_str().unwrap().to_owned(), s["timeZone"].as_str().unwrap().to_owned())).collect()
}

#[test]
fn sighup_reloads_the_sites_file_and_keeps_the_old_one_when_the_new_one_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sites.json");
    std::fs::write(&file, format!(r#"[{{"key":"a","origins":["{A}"]}}]"#)).unwrap();
    let db = dir.path().join("kpi.db");
    let mut command = Binary::command(path(&db));
    command.args(["--sites", path(&file), "--mount", "/=/nonexistent"]);
    let collector = Binary::start(command);
    assert_eq!(post(collector.addr, "a", 1, A), 202);
    assert_eq!(post(collector.addr, "b", 2, B), 400, "b is not configured yet");

    let reloaded = "support-kpi-collector: sites reloaded (1 site(s) in force)";
    std::fs::write(&file, format!(r#"[{{"key":"b","origins":["{B}"],"timeZone":"Europe/Amsterdam"}}]"#)).unwrap();
    collector.signal("HUP");
    collector.wait_for(reloaded, 1);
    assert_eq!(post(collector.addr, "b", 3, B), 202, "a new site is accepted");
    assert_eq!(post(collector.addr, "a", 4, A), 400, "a removed site is refused");
    assert_eq!(listed(collector.addr), [(String::from("b"), String::from("Europe/Amsterdam"))]);

    // One signal at a time: the collector reads the file when it handles the
    // signal, so a second write before that would be what both reloads see.
    let broken = ["[{\"key\":\"b\",", r#"[{"key":"Bad Key","origins":["https://b.example"]}]"#];
    let mut stderr = String::new();
    for (refused, content) in (1..).zip(broken) {
        std::fs::write(&file, content).unwrap();
        collector.signal("HUP");
        stderr = collector.wait_for("sites not reloaded", refused);
    }
    let refusals: Vec<&str> = stderr.lines().filter(|l| l.contains("sites not reloaded")).collect();
    assert!(refusals[0].contains(&format!("sites file {}: must be a JSON array", file.display())), "{stderr}");
    assert!(refusals[1].contains("sites[0].key"), "{stderr}");
    assert_eq!(post(collector.addr, "b", 5, B), 202, "the sites in force stay");
    assert_eq!(stderr.matches(reloaded).count(), 1, "{stderr}");
    let stderr = collector.terminate();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
