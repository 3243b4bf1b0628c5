//! The binary's command line: `kpis` over event logs, help texts, configuration errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_support-kpi-collector"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A run that fails early may close its input before reading it.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn kpis(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

const GOOD: &str = concat!(
    "{\"type\":\"availability\",\"ts\":1795392000000,\"online\":true}\n",
    "{\"type\":\"page_view\",\"ts\":1795392000000,\"support\":true}\n",
    "\n",
    "{\"type\":\"chat_started\",\"ts\":1795392060000}\n",
    "{\"type\":\"agent_message\",\"ts\":1795392090000}\n",
);

#[test]
fn computes_the_kpis_of_a_good_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.ndjson");
    std::fs::write(&log, GOOD).unwrap();
    let output = run(&["kpis", log.to_str().unwrap(), "--site-key", "acme-help"], "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    let kpis = kpis(&output);
    assert_eq!(kpis["site"], "acme-help");
    assert_eq!(kpis["engagement"]["supportPageShare"]["num"], 1);
    assert_eq!(kpis["speed"]["firstResponse"]["count"], 1);
    assert_eq!(kpis["speed"]["serviceLevel"]["value"], 1.0);
}

#[test]
fn reads_standard_input_and_a_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.json");
    std::fs::write(&config, r#"{"siteKey":"acme","timeZone":"Europe/Amsterdam","goals":["purchase"]}"#).unwrap();
    let log = format!("{GOOD}{{\"type\":\"conversion\",\"ts\":1795392100000,\"goal\":\"purchase\",\"value\":5}}\n");
    for input in [vec!["-"], vec![]] {
        let mut args = vec!["kpis"];
        args.extend(input);
        args.extend(["--config", config.to_str().unwrap()]);
        let output = run(&args, &log);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let kpis = kpis(&output);
        assert_eq!(kpis["contribution"]["conversionsAfterChat"]["count"], 1);
        // 2026-11-23T00:00Z is 01:00 in Amsterdam.
        assert_eq!(kpis["byHour"][1]["pageViews"], 1);
    }
}

#[test]
fn bad_lines_are_reported_with_their_number_and_skipped() {
    let log = format!(
        "{GOOD}{}\n\n{}\n{}\n",
        r#"{"type":"page_view","ts":1795392100000}"#,
        r#"{"type":"survey","ts":1795392100000,"kind":"csat","score":9}"#,
        "{\"type\":\"page_view\",\"ts\":1795392200000,\"support\":false}"
    );
    let output = run(&["kpis", "--site-key", "acme"], &format!("{log}not json\n"));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        concat!(
            "line 6: support: is required\n",
            "line 8: score: must be an integer from 1 to 5 for csat\n",
            "line 10: event: invalid JSON (unknown literal at byte 0)\n",
            "support-kpi-collector kpis: skipped 3 of 8 events\n",
        )
    );
    assert_eq!(kpis(&output)["engagement"]["supportPageShare"]["den"], 2, "the good lines still count");
}

#[test]
fn unusable_input_exits_with_1() {
    let missing = run(&["kpis", "/nonexistent/events.ndjson", "--site-key", "acme"], "");
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).starts_with("support-kpi-collector kpis: /nonexistent/events.ndjson: cannot be read"));
    assert!(missing.stdout.is_empty());
    let bad_key = run(&["kpis", "--site-key", "Acme Help"], GOOD);
    assert_eq!(bad_key.status.code(), Some(1));
    assert_eq!(
        stderr(&bad_key),
        "support-kpi-collector kpis: config: siteKey: must be 1 to 64 characters from a-z, 0-9, '_' and '-'\n"
    );
    let bad_zone = run(&["kpis", "--site-key", "acme", "--time-zone", "Mars/Base"], GOOD);
    assert_eq!(
        stderr(&bad_zone),
        "support-kpi-collector kpis: config: timeZone: \"Mars/Base\" is not a known IANA time zone\n"
    );
    let no_site = run(&["kpis"], GOOD);
    assert_eq!(no_site.status.code(), Some(2), "a usage error from the argument parser");
    assert!(stderr(&no_site).contains("--site-key"));
}

#[test]
fn help_documents_both_subcommands() {
    let serve = run(&["serve", "--help"], "");
    let text = String::from_utf8_lossy(&serve.stdout);
    for flag in ["--listen", "SUPPORT_KPI_LISTEN", "--db", "SUPPORT_KPI_DB", "--read-token", "SUPPORT_KPI_READ_TOKEN"] {
        assert!(text.contains(flag), "serve --help lacks {flag}");
    }
    for flag in ["--sites", "SUPPORT_KPI_SITES", "--site <KEY=ORIGIN[,ORIGIN...]>", "--mount <URLPATH=DIR>"] {
        assert!(text.contains(flag), "serve --help lacks {flag}");
    }
    let kpis = run(&["kpis", "--help"], "");
    let text = String::from_utf8_lossy(&kpis.stdout);
    for flag in ["[FILE|-]", "--config", "--site-key", "--time-zone", "line N: field: reason", "Exit status"] {
        assert!(text.contains(flag), "kpis --help lacks {flag}");
    }
    let top = run(&["--help"], "");
    assert!(String::from_utf8_lossy(&top.stdout).contains("kpis"));
}

#[test]
fn serve_help_lists_every_api_route_with_its_summary() {
    for args in [&["serve", "--help"][..], &["serve", "-h"], &["--help"]] {
        let help = String::from_utf8_lossy(&run(args, "").stdout).into_owned();
        assert!(help.contains("GET /api/openapi.json describes every route"), "{args:?}: {help}");
        for (path, method) in support_kpi_collector::http::api_routes() {
            let line = help.lines().find(|l| l.split_whitespace().take(2).eq([method.as_str(), path]));
            let summary = line.map(|l| l.split_whitespace().skip(2).collect::<Vec<_>>());
            assert!(summary.is_some_and(|words| !words.is_empty()), "{args:?}: no summary of {method} {path}: {help}");
        }
    }
}

#[test]
fn serve_refuses_a_bad_configuration() {
    let output = run(&["serve", "--site", "acme=help.acme.example"], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "support-kpi-collector: --site #1 (acme=help.acme.example): origins[0]: \"help.acme.example\" must be an \
         origin such as https://help.acme.example (scheme, host, optional port; no path)\n"
    );
}

/// `serve` flags for a run in `dir`: an inline site, a fixed token, a database file there.
fn serve_args<'a>(dir: &'a std::path::Path, listen: &'a str) -> Vec<String> {
    let db = dir.join("kpi.db");
    ["serve", "--listen", listen, "--db", db.to_str().unwrap(), "--site", "acme=https://a.example"]
        .into_iter()
        .chain(["--read-token", "cli-test-read-token-0123"])
        .map(String::from)
        .collect()
}

#[test]
fn listen_takes_a_host_name() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_support-kpi-collector"))
        .args(serve_args(dir.path(), "localhost:0"))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let announced = lines.next().unwrap().unwrap();
    let address = announced
        .strip_prefix("support-kpi-collector: listening on http://")
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("{announced}"));
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200 OK\r\n") && answer.ends_with("\r\n\r\nok\nstore: sqlite, schema version 2\n"),
        "{answer}"
    );
}

#[test]
fn a_taken_port_leaves_nothing_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let listen = taken.local_addr().unwrap().to_string();
    let args = serve_args(dir.path(), &listen);
    let output = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert_eq!(output.status.code(), Some(1));
    let expected = format!("support-kpi-collector: --listen {listen}: cannot listen on {listen} (");
    assert!(stderr(&output).starts_with(&expected), "{}", stderr(&output));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no database file");
}

#[test]
fn bad_listen_values_name_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let no_port = run(&["serve", "--listen", "localhost"], "");
    assert_eq!(no_port.status.code(), Some(2), "a usage error from the argument parser");
    assert!(
        stderr(&no_port).contains(
            "invalid value 'localhost' for '--listen <HOST:PORT>': must be HOST:PORT, e.g. 127.0.0.1:8787, \
             localhost:8787 or [::1]:8787"
        ),
        "{}",
        stderr(&no_port)
    );
    let args = serve_args(dir.path(), "nohost.invalid:8787");
    let unknown = run(&args.iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert_eq!(unknown.status.code(), Some(1));
    let expected = "support-kpi-collector: --listen nohost.invalid:8787: cannot resolve nohost.invalid (";
    assert!(stderr(&unknown).starts_with(expected), "{}", stderr(&unknown));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no database file");
}

#[test]
fn staffing_prints_one_json_object_and_names_a_bad_flag() {
    let example = ["staffing", "--arrivals", "100", "--interval-seconds", "1800", "--handle-seconds", "180"];
    let mut args = example.to_vec();
    args.extend(["--target", "0.8", "--answer-seconds", "20", "--shrinkage", "0.3"]);
    let output = run(&args, "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let advice = kpis(&output);
    assert_eq!((advice["agents"].as_i64(), advice["scheduled"].as_i64()), (Some(14), Some(20)));
    assert_eq!(advice["serviceLevel"], 0.88835);
    let mut bad = example.to_vec();
    bad.extend(["--answer-seconds", "20", "--max-occupancy", "0"]);
    let output = run(&bad, "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "support-kpi-collector staffing: --max-occupancy: must be a number above 0 and at most 1\n"
    );
}
