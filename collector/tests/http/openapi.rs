//! `collector/openapi.json`: it lists exactly the router's `/api/` routes, it
//! is served without a token, its schemas compile and accept what the widget
//! sends, and the checker every HTTP test runs (`conformance.rs`) catches
//! answers outside it.

use super::client;
use super::conformance::{self, DOCUMENT, PARSED};
use super::server::{ACME, Server, TOKEN, report, this_hour};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use support_kpi::NativeEngine;
use support_kpi::ReportId;

/// The HTTP methods an OpenAPI path item can hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// `(path, method)` of every operation in the document.
fn documented() -> BTreeSet<(String, String)> {
    let paths = PARSED["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter(|method| item.get(**method).is_some())
                .map(|method| (path.clone(), method.to_string()))
        })
        .collect()
}

#[test]
fn the_document_lists_exactly_the_routes_under_api() {
    let served: BTreeSet<(String, String)> = support_kpi_collector::http::api_routes()
        .into_iter()
        .map(|(path, method)| (path.to_owned(), method.as_str().to_ascii_lowercase()))
        .collect();
    assert_eq!(documented(), served);
    assert!(served.iter().all(|(path, _)| path.starts_with("/api/")), "{served:?}");
    assert_eq!(PARSED["openapi"], "3.1.0");
}

each_store! {
fn every_path_answers_its_methods_and_405_to_the_others(store) {
    let server = Server::start(store, &[]);
    let operations = documented();
    let auth = format!("Bearer {TOKEN}");
    for path in operations.iter().map(|(path, _)| path).collect::<BTreeSet<_>>() {
        let allowed: Vec<&str> = operations.iter().filter(|(p, _)| p == path).map(|(_, m)| m.as_str()).collect();
        for method in ["get", "put", "post", "delete", "options", "patch"] {
            let headers = [("Authorization", auth.as_str()), ("Origin", ACME)];
            let response = client::send(server.addr, &method.to_ascii_uppercase(), path, &headers, b"").unwrap();
            if allowed.contains(&method) {
                assert_ne!(response.status, 405, "{method} {path}");
                continue;
            }
            let names: Vec<String> = allowed.iter().map(|m| m.to_ascii_uppercase()).collect();
            assert_eq!(response.status, 405, "{method} {path}");
            let (error, allow) = (response.json()["error"].to_string(), response.header("allow").unwrap_or_default());
            assert!(error.starts_with("\"method: must be "), "{error}");
            for name in &names {
                assert!(
                    error.contains(name.as_str()) && allow.contains(name.as_str()),
                    "{method} {path}: {error}, {allow}"
                );
            }
        }
    }
}
}

each_store! {
fn the_document_is_served_without_a_token(store) {
    let server = Server::start(store, &[]);
    let response = server.get_with("/api/openapi.json", &[]);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.text(), DOCUMENT);
}
}

#[test]
fn every_schema_compiles_and_examples_match_them() {
    let mut schemas = Vec::new();
    for (path, method) in documented() {
        let operation = format!("/paths/{}/{method}", conformance::escape(&path));
        for (status, answer) in PARSED.pointer(&format!("{operation}/responses")).and_then(Value::as_object).unwrap() {
            for media_type in answer["content"].as_object().into_iter().flatten().map(|(name, _)| name) {
                let media_type = conformance::escape(media_type);
                schemas.push(format!("{operation}/responses/{status}/content/{media_type}/schema"));
            }
        }
        for (index, _) in PARSED.pointer(&operation).unwrap()["parameters"].as_array().into_iter().flatten().enumerate()
        {
            schemas.push(format!("{operation}/parameters/{index}/schema"));
        }
    }
    for name in PARSED["components"]["schemas"].as_object().unwrap().keys() {
        schemas.push(format!("/components/schemas/{name}"));
    }
    for pointer in &schemas {
        conformance::compile(pointer).unwrap();
    }
    for name in ["Report", "Error"] {
        let example = &PARSED["components"]["schemas"][name]["example"];
        conformance::validate(&format!("/components/schemas/{name}"), example).unwrap();
    }
}

each_store! {
fn the_report_schema_accepts_what_the_engine_sends_and_refuses_what_the_collector_refuses(store) {
    let schema = "/components/schemas/Report";
    let config = r#"{"siteKey":"acme","goals":["purchase"],"tags":["complaint"]}"#;
    let mut engine = NativeEngine::from_config_json(config.as_bytes()).unwrap();
    let start = this_hour();
    for event in [
        format!(r#"{{"type":"page_view","ts":{start},"support":true}}"#),
        format!(r#"{{"type":"chat_started","ts":{}}}"#, start + 1_000),
        format!(r#"{{"type":"agent_message","ts":{}}}"#, start + 20_000),
        format!(r#"{{"type":"tag","ts":{},"name":"complaint"}}"#, start + 25_000),
        format!(r#"{{"type":"chat_ended","ts":{},"resolved":true}}"#, start + 60_000),
        format!(r#"{{"type":"survey","ts":{},"kind":"nps","score":9}}"#, start + 61_000),
        format!(r#"{{"type":"conversion","ts":{},"goal":"purchase","value":9.5}}"#, start + 70_000),
    ] {
        engine.track_json(event.as_bytes()).unwrap();
    }
    let full: Value = serde_json::from_str(&engine.take_report(ReportId([7; 16])).encode()).unwrap();
    assert!(full["goals"].is_object() && full["tags"].is_object() && full["nps"].is_array(), "{full}");
    let simple: Value = serde_json::from_str(&report("acme", 1, start, 3).encode()).unwrap();
    for sent in [&full, &simple] {
        conformance::validate(schema, sent).unwrap_or_else(|e| panic!("{e}: {sent}"));
    }
    let mut refused = Vec::new();
    for (member, value) in [
        ("v", json!(2)),
        ("id", json!("7A9C2A8DB64ED1AF46F3C1BC985153CF")),
        ("period", json!({"from": start + 1, "to": start + 3_600_000})),
        ("engagement", json!([0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ("colour", json!(1)),
    ] {
        let mut body = simple.clone();
        body[member] = value;
        assert!(conformance::validate(schema, &body).is_err(), "{body}");
        refused.push(body);
    }
    let server = Server::start(store, &[]);
    for body in refused {
        assert_eq!(server.post_report(Some(ACME), &body.to_string()).status, 400, "{body}");
    }
}
}

each_store! {
fn answers_outside_the_document_are_caught(store) {
    let server = Server::start(store, &[]);
    let mut sites = server.get("/api/sites");
    assert_eq!(conformance::conformance("GET", "/api/sites", &sites), Ok(()));
    sites.status = 299;
    assert_eq!(
        conformance::conformance("GET", "/api/sites", &sites),
        Err(String::from("the status is not documented"))
    );
    sites.status = 200;
    sites.body = br#"{"sites":[{"key":"acme","timeZone":"UTC"}]}"#.to_vec();
    let missing = conformance::conformance("GET", "/api/sites", &sites).unwrap_err();
    assert!(missing.contains("serviceLevelSeconds"), "{missing}");
    let unauthorized = server.get_with("/api/sites", &[]);
    assert_eq!(
        conformance::conformance("PUT", "/api/sites", &unauthorized),
        Err(String::from("an undocumented method must get 405"))
    );
    let stored = server.post_report(Some(ACME), &report("acme", 2, this_hour(), 1).encode());
    assert_eq!(conformance::conformance("POST", "/api/report", &stored), Ok(()));
    assert_eq!(conformance::conformance("GET", "/nowhere", &stored), Ok(()), "not an API path");
    let unlisted = conformance::conformance("GET", "/api/unlisted", &stored);
    assert_eq!(unlisted, Err(String::from("a path under /api/ that the document does not list must get 404 or 405")));
    let not_found = server.get("/api/unlisted");
    assert_eq!(not_found.status, 404, "{}", not_found.text());
}
}
