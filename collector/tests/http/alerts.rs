//! Alerts against a loopback webhook receiver: once per breach, once when it
//! clears, retried with backoff when the webhook fails, and ingest never waits.

use super::server::{ACME, Server, report, this_hour};
use super::stores::Kind;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How often the test collectors check the rules (`--alert-interval`).
const CHECK: Duration = Duration::from_millis(50);

/// A webhook on 127.0.0.1 that answers the first `failures` requests with 500, then 204;
/// with `hang`, it never answers. Sends each request body to the returned channel.
fn receiver(failures: usize, hang: bool) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (bodies, received) = mpsc::channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for (index, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if bodies.send(String::from_utf8(body).unwrap()).is_err() {
                return;
            }
            if hang {
                held.push(stream);
                continue;
            }
            let status = if index < failures { "500 Internal Server Error" } else { "204 No Content" };
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (url, received)
}

fn server_for(store: Kind, webhook: &str) -> Server {
    let sites = format!(
        r#"[{{"key":"acme","origins":["{ACME}"],"alerts":{{"webhook":"{webhook}","rules":[
            {{"kpi":"speed.serviceLevel","below":0.8}}]}}}}]"#
    );
    let interval = CHECK.as_secs_f64().to_string();
    Server::with_sites(store, &sites, &["--alert-interval", &interval, "--alert-retry", "0.01"])
}

/// Posts a report of this hour with `chats` chats, `met` of them answered in time.
fn post_chats(server: &Server, id: u128, chats: i64, met: i64) -> u16 {
    let mut chats_report = report("acme", id, this_hour(), 1);
    let families = chats_report.families_mut();
    families.engagement.chats_started = chats;
    families.speed.counts.service_level_met = met;
    server.post_report(Some(ACME), &chats_report.encode()).status
}

fn next(received: &mpsc::Receiver<String>) -> serde_json::Value {
    let body = received.recv_timeout(Duration::from_secs(20)).expect("a webhook request");
    serde_json::from_str(&body).unwrap()
}

/// Asserts that no message arrives within ten checks of the rules.
fn nothing_for_ten_checks(received: &mpsc::Receiver<String>, after: &str) {
    match received.recv_timeout(10 * CHECK) {
        Err(RecvTimeoutError::Timeout) => {}
        other => panic!("a message after {after}: {other:?}"),
    }
}

each_store! {
fn a_breach_is_posted_once_retried_through_failures_and_cleared_once(store) {
    let (webhook, received) = receiver(2, false);
    let server = server_for(store, &webhook);
    assert_eq!(post_chats(&server, 1, 4, 1), 202);
    // Two failures (logged, retried after 10 then 20 ms), then delivered: the same message three times.
    let attempts: Vec<_> = (0..3).map(|_| next(&received)).collect();
    assert!(attempts.iter().all(|body| *body == attempts[0]), "{attempts:?}");
    assert_eq!(attempts[0]["state"], "breach");
    assert_eq!((attempts[0]["site"].as_str(), attempts[0]["value"].as_f64()), (Some("acme"), Some(0.25)));
    // Ten checks still breached: none posts the breach again.
    nothing_for_ten_checks(&received, "the delivered breach");
    assert_eq!(post_chats(&server, 2, 20, 20), 202);
    let clear = next(&received);
    assert_eq!((clear["state"].as_str(), clear["value"].as_f64()), (Some("clear"), Some(21.0 / 24.0)));
    nothing_for_ten_checks(&received, "the clear");
}
}

each_store! {
fn a_webhook_that_never_answers_does_not_hold_up_ingest(store) {
    let (webhook, received) = receiver(0, true);
    let server = server_for(store, &webhook);
    assert_eq!(post_chats(&server, 1, 4, 0), 202);
    assert_eq!(next(&received)["state"], "breach", "the delivery is in flight and unanswered");
    for id in 2..12 {
        assert_eq!(post_chats(&server, id, 1, 0), 202, "reports are still stored");
    }
}
}
