//! Time and size limits: slow and silent clients lose their connections,
//! slow bodies get a 408, long query strings a 414, large heads a 431.

use super::client;
use super::server::{ACME, Server, report, this_hour};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Reads until the server closes the connection; what it sent and how long that took.
fn read_until_closed(stream: &mut TcpStream, start: Instant) -> (Vec<u8>, Duration) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(error) if error.kind() == ErrorKind::ConnectionReset => break,
            Err(error) => panic!("the connection stayed open: {error}"),
        }
    }
    (received, start.elapsed())
}

/// Sends `at_once`, then `slowly` one byte every 50 ms (repeated up to 400
/// bytes), from another thread until the server closes the connection.
fn trickle(addr: SocketAddr, at_once: &'static [u8], slowly: &'static [u8]) -> (TcpStream, Instant) {
    let stream = TcpStream::connect(addr).unwrap();
    let mut writer = stream.try_clone().unwrap();
    writer.write_all(at_once).unwrap();
    std::thread::spawn(move || {
        for byte in slowly.iter().cycle().take(400) {
            if writer.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    (stream, Instant::now())
}

each_store! {
fn headers_sent_slowly_lose_the_connection_at_the_header_timeout(store) {
    let server = Server::start(store, &["--header-timeout", "0.4"]);
    // 400 bytes at 20 per second would take 20 s.
    let (mut stream, start) =
        trickle(server.addr, b"", b"POST /api/report HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaa");
    let (received, elapsed) = read_until_closed(&mut stream, start);
    assert!(elapsed >= Duration::from_millis(350) && elapsed < Duration::from_millis(1500), "{elapsed:?}");
    assert_eq!(String::from_utf8_lossy(&received), "", "closed without an answer");
}
}

each_store! {
fn silent_and_idle_connections_are_closed_and_their_slots_freed(store) {
    let server = Server::start(store, &["--header-timeout", "0.4", "--max-connections", "2"]);
    // Two connections that never send anything fill every slot.
    let silent: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    let health = server.get_with("/healthz", &[]);
    let waited = start.elapsed();
    assert_eq!((health.status, health.text()), (200, crate::stores::health(store)));
    assert!(waited >= Duration::from_millis(200) && waited < Duration::from_millis(1500), "{waited:?}");
    for mut stream in silent {
        let (received, _) = read_until_closed(&mut stream, start);
        assert!(received.is_empty());
    }
    // A keep-alive connection left idle after its answer is closed after as long.
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (received, idle) = read_until_closed(&mut stream, Instant::now());
    assert!(String::from_utf8_lossy(&received).starts_with("HTTP/1.1 200 OK\r\n"));
    assert!(idle >= Duration::from_millis(350) && idle < Duration::from_millis(1500), "{idle:?}");
}
}

each_store! {
fn a_body_sent_slowly_gets_a_408_at_the_request_timeout(store) {
    let server = Server::start(store, &["--request-timeout", "0.5", "--header-timeout", "5"]);
    let head =
        b"POST /api/report HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nOrigin: https://help.acme.example\r\n\
                 Content-Length: 400\r\n\r\n";
    let (mut stream, start) = trickle(server.addr, head, b"{\"v\":1,");
    let (received, elapsed) = read_until_closed(&mut stream, start);
    assert!(elapsed >= Duration::from_millis(450) && elapsed < Duration::from_millis(2000), "{elapsed:?}");
    let text = String::from_utf8_lossy(&received).into_owned();
    assert!(text.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{text}");
    assert!(text.ends_with(r#"{"error":"request: took longer than 0.5 s","field":"request"}"#), "{text}");
}
}

each_store! {
fn long_query_strings_and_heads_are_refused(store) {
    let server = Server::start(store, &[]);
    let long = format!("/api/kpis?site=acme&pad={}", "a".repeat(1100));
    server.get(&long).assert_error(414, "query", "query: must be at most 1024 bytes");
    let fits = format!("/api/kpis?site=acme&pad={}", "a".repeat(990));
    let refused = server.get(&fits);
    refused.assert_error(400, "pad", "pad: is not a known parameter (site, from, to, bucket, format)");
    let huge = "h".repeat(20_000);
    let response = client::send(server.addr, "GET", "/healthz", &[("X-Huge", &huge)], b"").unwrap();
    assert_eq!(response.status, 431);
    // The server goes on serving.
    let body = report("acme", 1, this_hour(), 1).encode();
    assert_eq!(server.post_report(Some(ACME), &body).status, 202);
}
}
