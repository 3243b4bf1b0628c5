//! The collector's request handling: the real server (`http::serve`, its
//! router, CORS, body limit, report validation, query parsing, token check,
//! SQLite store) answers up to four requests per input over loopback TCP.
//! Every answer must be a well-formed HTTP response of the statuses the API
//! documents; every 4xx carries a JSON error body `{"error":"field: …","field":…}`;
//! a 5xx, a hang or a panic is a failure.
//!
//! Input: requests separated by a line `---`. A request is written like
//! HTTP: a first line `POST /api/report`, `OPTIONS /api/report`,
//! `GET /api/kpis?site=acme&bucket=hour` or `GET /api/sites`, header lines,
//! an empty line and the body. Only `Content-Type`, `Origin`,
//! `Authorization`, `Content-Length` (sent only when above the 64 KiB limit),
//! `Transfer-Encoding: chunked` and `X-Pad: N` (N KiB of spaces after the
//! body) are used, with bytes that are not allowed in a header value
//! dropped, so that the request is always valid HTTP and every answer comes
//! from the collector rather than from hyper. Input that does not start with
//! such a line is a report body POSTed as `text/plain` from the `acme` site's
//! origin. Each input starts with an empty database.

#![no_main]

use clap::Parser;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use support_kpi::Report;
use support_kpi_collector::args::{Cli, Command};
use support_kpi_collector::config::Settings;
use support_kpi_collector::error::Error;
use support_kpi_collector::store::sqlite::SqliteStore;
use support_kpi_collector::store::{IdSlice, Incoming, Outcome, Rollup, Store, StoreStatus};

/// The read token of the fuzzed server.
const TOKEN: &str = "fuzz-read-token-0123456789";
/// The sites of collector/tests/http/server.rs: `acme` (UTC), `ams` (Amsterdam), `open` (any origin, 30 s).
const SITES: &str = r#"[
  {"key":"acme","origins":["https://help.acme.example"]},
  {"key":"ams","origins":["https://ams.example","http://localhost:8080"],"timeZone":"Europe/Amsterdam"},
  {"key":"open","origins":["*"],"serviceLevelSeconds":30}
]"#;
/// Origins some site allows (`*` aside).
const ALLOWED_ORIGINS: [&str; 3] = ["https://help.acme.example", "https://ams.example", "http://localhost:8080"];
const MAX_BODY: u64 = 64 * 1024;
/// Query bytes sent at most (each may become three when percent-encoded).
const MAX_QUERY_SENT: usize = 1_500;
/// Headers sent at most, and bytes per header value: the request head stays
/// below hyper's limit (the collector's 16 KiB), so the collector answers.
const MAX_HEADERS: usize = 8;
const MAX_HEADER_VALUE: usize = 1_024;

/// A SQLite store that starts empty for each input (a fresh file in tmpfs).
struct FreshStore {
    dir: PathBuf,
    next: AtomicU64,
    dirty: AtomicBool,
    current: Mutex<(SqliteStore, PathBuf)>,
}

impl FreshStore {
    fn open(dir: PathBuf) -> FreshStore {
        let path = dir.join("kpi-0.db");
        let store = SqliteStore::open(&path).expect("scratch database opens");
        FreshStore { dir, next: AtomicU64::new(1), dirty: AtomicBool::new(false), current: Mutex::new((store, path)) }
    }

    /// Replaces the database by an empty one, if anything was written.
    fn reset(&self) {
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return;
        }
        let path = self.dir.join(format!("kpi-{}.db", self.next.fetch_add(1, Ordering::SeqCst)));
        let store = SqliteStore::open(&path).expect("scratch database opens");
        let (old, old_path) = std::mem::replace(&mut *self.current.lock().unwrap(), (store, path));
        drop(old);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", old_path.display()));
        }
    }
}

impl Store for FreshStore {
    fn ingest(&self, batch: &[Incoming]) -> Result<Vec<Outcome>, Error> {
        self.dirty.store(true, Ordering::SeqCst);
        self.current.lock().unwrap().0.ingest(batch)
    }

    fn rollups(&self, site: &str, service_level_seconds: u32, from: i64, to: i64) -> Result<Vec<Rollup>, Error> {
        self.current.lock().unwrap().0.rollups(site, service_level_seconds, from, to)
    }

    fn forget_ids_before(&self, before: i64, slice: IdSlice) -> Result<usize, Error> {
        self.current.lock().unwrap().0.forget_ids_before(before, slice)
    }

    fn status(&self) -> StoreStatus {
        self.current.lock().unwrap().0.status()
    }
}

/// The collector, started once per process.
struct Harness {
    addr: SocketAddr,
    store: Arc<FreshStore>,
    _runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let dir = scratch_dir();
        let sites = dir.path().join("sites.json");
        std::fs::write(&sites, SITES).expect("sites file");
        let db = dir.path().join("unused.db");
        let static_dir = dir.path().join("static");
        std::fs::create_dir(&static_dir).expect("static dir");
        let mount = format!("/static={}", static_dir.display());
        let (sites, db) = (sites.display().to_string(), db.display().to_string());
        let args = ["support-kpi-collector", "serve", "--read-token", TOKEN, "--sites", &sites, "--db", &db];
        let cli = Cli::try_parse_from(args.into_iter().chain(["--mount", &mount])).expect("flags parse");
        let Some(Command::Serve(serve)) = cli.command else { unreachable!("serve flags") };
        let settings = Settings::from_args(&serve).expect("settings are valid");
        let store = Arc::new(FreshStore::open(dir.path().to_path_buf()));
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("loopback listener");
        let addr = listener.local_addr().unwrap();
        let served: Arc<dyn Store> = store.clone();
        runtime.spawn(async move {
            support_kpi_collector::http::serve(settings, served, listener, std::future::pending()).await.unwrap();
        });
        Harness { addr, store, _runtime: runtime, _dir: dir }
    })
}

/// A directory for this process's databases, in tmpfs when there is one.
///
/// libFuzzer ends the process without dropping statics, so each process
/// first removes what processes that are gone left behind.
fn scratch_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() }.join("support-kpi-fuzz");
    std::fs::create_dir_all(&base).expect("scratch base dir");
    for entry in std::fs::read_dir(&base).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let pid = name.to_str().and_then(|n| n.split('-').next()).and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    tempfile::Builder::new().prefix(&format!("{}-", std::process::id())).tempdir_in(&base).expect("scratch dir")
}

/// One request as the input describes it.
#[derive(Debug)]
struct Request {
    method: &'static str,
    path: &'static str,
    query: Option<Vec<u8>>,
    headers: Vec<(&'static str, Vec<u8>)>,
    declared_length: Option<u64>,
    chunked: bool,
    body: Vec<u8>,
}

fn parse_request(input: &[u8]) -> Request {
    let (first, rest) = split_line(input);
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    let Some((method, target)) = request_line(first) else {
        let headers = vec![
            ("Content-Type", b"text/plain;charset=UTF-8".to_vec()),
            ("Origin", ALLOWED_ORIGINS[0].as_bytes().to_vec()),
        ];
        let body = input.to_vec();
        return Request {
            method: "POST",
            path: "/api/report",
            query: None,
            headers,
            declared_length: None,
            chunked: false,
            body,
        };
    };
    let (path_part, query) = match target.iter().position(|&b| b == b'?') {
        Some(at) => (&target[..at], Some(target[at + 1..].to_vec())),
        None => (target, None),
    };
    let (path, method) = match path_part {
        b"/api/kpis" => ("/api/kpis", "GET"),
        b"/api/sites" => ("/api/sites", "GET"),
        _ => ("/api/report", if method == "OPTIONS" { "OPTIONS" } else { "POST" }),
    };
    let mut request =
        Request { method, path, query, headers: Vec::new(), declared_length: None, chunked: false, body: Vec::new() };
    let mut rest = rest;
    loop {
        let (line, after) = split_line(rest);
        rest = after;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            break;
        }
        let Some(colon) = line.iter().position(|&b| b == b':') else { continue };
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_ascii_lowercase();
        let value: Vec<u8> =
            line[colon + 1..].iter().copied().filter(|&b| b == b'\t' || (b >= 0x20 && b != 0x7f)).collect();
        let value = value.trim_ascii();
        let value = value[..value.len().min(MAX_HEADER_VALUE)].trim_ascii().to_vec();
        if request.headers.len() >= MAX_HEADERS && matches!(name.as_str(), "content-type" | "origin" | "authorization")
        {
            continue;
        }
        match name.as_str() {
            "content-type" => request.headers.push(("Content-Type", value)),
            "origin" => request.headers.push(("Origin", value)),
            "authorization" => request.headers.push(("Authorization", value)),
            "content-length" => {
                request.declared_length =
                    std::str::from_utf8(&value).ok().and_then(|v| v.parse().ok()).filter(|&n| n > MAX_BODY)
            }
            "transfer-encoding" => request.chunked = value.eq_ignore_ascii_case(b"chunked"),
            "x-pad" => {
                let kib: usize = std::str::from_utf8(&value).ok().and_then(|v| v.parse().ok()).unwrap_or(0);
                request.body.resize(kib.min(80) * 1024, b' ');
            }
            _ => {}
        }
    }
    let padding = std::mem::take(&mut request.body);
    request.body = [rest, &padding].concat();
    request
}

fn split_line(input: &[u8]) -> (&[u8], &[u8]) {
    match input.iter().position(|&b| b == b'\n') {
        Some(at) => (&input[..at], &input[at + 1..]),
        None => (input, &[]),
    }
}

fn request_line(line: &[u8]) -> Option<(&'static str, &[u8])> {
    let (method, target) = line.split_at(line.iter().position(|&b| b == b' ')?);
    let method = match method {
        b"GET" => "GET",
        b"POST" => "POST",
        b"OPTIONS" => "OPTIONS",
        _ => return None,
    };
    Some((method, target.trim_ascii()))
}

/// The request as HTTP/1.1 bytes; query bytes a URI cannot hold are percent-encoded.
fn to_http(request: &Request) -> Vec<u8> {
    let mut out = format!("{} {}", request.method, request.path).into_bytes();
    if let Some(query) = &request.query {
        out.push(b'?');
        // Past the collector's 1 KiB query limit (a 414), but within hyper's 16 KiB head.
        for &b in query.iter().take(MAX_QUERY_SENT) {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b) {
                out.push(b);
            } else {
                out.extend(format!("%{b:02X}").bytes());
            }
        }
    }
    out.extend(b" HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n");
    for (name, value) in &request.headers {
        out.extend(name.as_bytes());
        out.extend(b": ");
        out.extend(value);
        out.extend(b"\r\n");
    }
    if request.chunked {
        out.extend(b"Transfer-Encoding: chunked\r\n\r\n");
        for chunk in request.body.chunks(4096) {
            out.extend(format!("{:x}\r\n", chunk.len()).bytes());
            out.extend(chunk);
            out.extend(b"\r\n");
        }
        out.extend(b"0\r\n\r\n");
    } else {
        let length = request.declared_length.unwrap_or(request.body.len() as u64);
        out.extend(format!("Content-Length: {length}\r\n\r\n").bytes());
        out.extend(&request.body);
    }
    out
}

/// A parsed HTTP response.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn send(addr: SocketAddr, bytes: &[u8]) -> Response {
    let mut stream = loop {
        match TcpStream::connect(addr) {
            Ok(stream) => break stream,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => panic!("cannot connect to the collector: {e}"),
        }
    };
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    // The server may answer (413, 415, 403) before it has read the whole body,
    // and then close the connection with our body unread: the write may fail,
    // and the close may reset the connection after the answer was received.
    let _ = stream.write_all(bytes);
    let mut raw = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buffer[..n]),
            // libFuzzer's SIGALRM (its -timeout watchdog) can interrupt a read.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty() => break,
            Err(e) => panic!("no complete answer from the collector: {e}"),
        }
    }
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let text = String::from_utf8_lossy(raw);
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no end of headers: {text:?}"));
    let head = std::str::from_utf8(&raw[..end]).unwrap_or_else(|_| panic!("head is not UTF-8: {text:?}"));
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("bad header line {line:?}"));
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse::<usize>().expect("numeric content-length"));
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body);
    } else if let Some(length) = length {
        assert_eq!(body.len(), length, "body length differs from content-length: {text:?}");
    }
    Response { status, headers, body }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").expect("chunk size line");
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..line_end]).unwrap().trim(), 16).expect("chunk size");
        raw = &raw[line_end + 2..];
        if size == 0 {
            return body;
        }
        body.extend(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// The checks every answer must pass.
fn check(request: &Request, response: &Response) -> Option<Value> {
    let text = String::from_utf8_lossy(&response.body);
    // 414: a query string over the collector's limit (1 KiB), on any route.
    let statuses: &[u16] = match (request.method, request.path) {
        // 429 only if the per-site rate limit (50,000 reports/s by default) were reached.
        ("POST", "/api/report") => &[202, 400, 403, 409, 413, 414, 415, 429],
        ("OPTIONS", _) => &[204, 403, 414],
        (_, "/api/kpis") => &[200, 400, 401, 414],
        _ => &[200, 401, 414],
    };
    assert!(statuses.contains(&response.status), "status {} for {request:?}: {text}", response.status);
    let json = if response.status == 204 {
        assert!(response.body.is_empty(), "a 204 with a body");
        None
    } else {
        assert_eq!(response.header("content-type"), Some("application/json"), "{} {text}", response.status);
        Some(
            serde_json::from_slice::<Value>(&response.body)
                .unwrap_or_else(|e| panic!("body is not JSON ({e}): {text}")),
        )
    };
    if response.status >= 400 {
        let body = json.as_ref().expect("an error body");
        let field = body["field"].as_str().unwrap_or_else(|| panic!("error without a field: {text}"));
        let error = body["error"].as_str().unwrap_or_else(|| panic!("error without a message: {text}"));
        assert!(error.starts_with(&format!("{field}: ")), "error does not start with its field: {text}");
        assert_eq!(body.as_object().map(|o| o.len()), Some(2), "extra members in an error: {text}");
    }
    if response.status == 429 {
        assert!(response.header("retry-after").is_some(), "a 429 without Retry-After");
    }
    if response.status == 401 {
        assert_eq!(response.header("www-authenticate"), Some("Bearer"));
    }
    // The report handler's answers carry CORS headers; a 414 is answered before any route.
    if request.path == "/api/report" && response.status != 414 {
        if request.method == "POST" {
            assert_eq!(response.header("vary"), Some("Origin"), "{request:?}");
        }
        let origin = request.headers.iter().find(|(n, _)| *n == "Origin").map(|(_, v)| v.as_slice());
        let expected = origin.filter(|o| ALLOWED_ORIGINS.iter().any(|a| a.as_bytes() == *o) || request_from_any(o));
        let granted = response.header("access-control-allow-origin");
        assert_eq!(granted.map(str::as_bytes), expected, "CORS for {request:?}");
        assert_ne!(granted, Some("*"), "CORS answered with *");
    }
    if response.status == 202 {
        let status = json.as_ref().and_then(|b| b["status"].as_str());
        assert!(matches!(status, Some("stored" | "duplicate")), "{text}");
    }
    if response.status == 200 && request.path == "/api/kpis" {
        let body = json.as_ref().unwrap();
        for key in [
            "site",
            "from",
            "to",
            "bucket",
            "timeZone",
            "serviceLevelSeconds",
            "reports",
            "kpis",
            "series",
            "firstResponseHistogram",
        ] {
            assert!(body.get(key).is_some(), "KPI answer lacks {key}");
        }
        support_kpi_fuzz::check_kpis(&body["kpis"].to_string(), false);
    }
    json
}

/// The `open` site lists `*`: every origin that `HeaderValue::to_str` reads (visible ASCII and tab) is
/// allowed and echoed, except `*` itself, which is allowed but never echoed.
fn request_from_any(origin: &[u8]) -> bool {
    origin != b"*" && origin.iter().all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
}

fuzz_target!(|data: &[u8]| {
    let harness = harness();
    harness.store.reset();
    let mut inputs: Vec<&[u8]> = Vec::new();
    let mut rest = data;
    while inputs.len() < 4 {
        match rest.windows(5).position(|w| w == b"\n---\n") {
            Some(at) => {
                inputs.push(&rest[..at]);
                rest = &rest[at + 5..];
            }
            None => {
                inputs.push(rest);
                break;
            }
        }
    }
    for input in inputs {
        let request = parse_request(input);
        let response = send(harness.addr, &to_http(&request));
        let answer = check(&request, &response);
        // A stored report is a duplicate the second time, and its id is what the store saw.
        if answer.as_ref().is_some_and(|a| a["status"] == "stored") {
            Report::decode(&request.body).expect("a stored report decodes");
            let again = send(harness.addr, &to_http(&request));
            check(&request, &again);
            assert_eq!(again.status, 202);
            assert_eq!(serde_json::from_slice::<Value>(&again.body).unwrap()["status"], "duplicate");
        }
    }
});
