//! `POST /api/report`: one report from the widget, with per-site CORS.
//!
//! The widget sends a `text/plain` string (so no CORS preflight) with
//! `fetch(…, {keepalive: true})`, or `navigator.sendBeacon` where keepalive
//! is unsupported; `application/json` is accepted too. A report is decoded
//! and validated by the engine, checked against its site's configuration,
//! origins and rate limit, and acknowledged with 202 only once it is
//! committed.
//!
//! The rate limit is per site, so it applies once the body is decoded: no
//! IP address is ever read (so there is no per-client limit), a limit per
//! connection is undone by opening more connections, and a global limit
//! before decoding would let one noisy sender crowd out every site. What a
//! client can cost before that point is bounded by the connection cap,
//! the header and request timeouts and the 64 KiB body (decoding one takes
//! microseconds; the writer is what the per-site limit protects).

use super::{AppState, json_text_response};
use crate::error::{Cause, Error};
use crate::plausible;
use crate::store::{Incoming, Outcome};
use crate::time::{bucket_hour, now_ms};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::sync::Arc;
use std::time::Instant;
use support_kpi::Report;
use support_kpi::time::floor_hour;

/// The body of a 202 for a report counted now.
const STORED: &str = r#"{"status":"stored"}"#;

/// Largest report body accepted, in bytes.
pub const MAX_BODY: usize = 64 * 1024;

/// Receives one report; every answer carries CORS headers for allowed origins.
pub(super) async fn receive(State(state): State<Arc<AppState>>, request: Request) -> Response {
    // The request taken whole: its headers are read in place, not copied.
    let (parts, body) = request.into_parts();
    let headers = &parts.headers;
    let origin = request_origin(headers);
    let received = Instant::now();
    let answer = accept(&state, origin, headers, body).await;
    match &answer {
        Ok(status) => state.metrics.accepted(*status == STORED, received.elapsed()),
        Err(error) => state.metrics.refused(error.status().as_u16()),
    }
    let response = match answer {
        Ok(status) => json_text_response(StatusCode::ACCEPTED, status),
        Err(error) => error.into_response(),
    };
    // Refusals are readable by any page, so that a widget on a wrong origin
    // sees the 403 and stops retrying (an error body tells nothing secret).
    let refused = response.status().is_client_error();
    with_cors(response, origin.filter(|o| refused || state.live().sites.any_allows(o)))
}

/// Answers a CORS preflight for origins that some site accepts.
pub(super) async fn preflight(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    match request_origin(&headers) {
        Some(origin) if state.live().sites.any_allows(origin) => {
            let mut response = with_cors(StatusCode::NO_CONTENT.into_response(), Some(origin));
            let headers = response.headers_mut();
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST"));
            headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("Content-Type"));
            headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
            response
        }
        origin => refuse_origin(origin, None).into_response(),
    }
}

/// Stands in for an `Origin` header that is not visible ASCII (browsers send
/// such hosts as punycode): it matches no site and is never echoed back.
const NOT_ASCII: &str = "(not ASCII)";

/// The `Origin` header, or [`NOT_ASCII`].
fn request_origin(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::ORIGIN).map(|value| value.to_str().unwrap_or(NOT_ASCII))
}

fn refuse_origin(origin: Option<&str>, site: Option<&str>) -> Error {
    let whose = site.map_or_else(|| String::from("for reports"), |key| format!("for site \"{key}\""));
    let reason = match origin {
        Some(origin) => format!("\"{origin}\" is not allowed {whose}"),
        None => format!("is required {whose} (only a site listing \"*\" accepts reports without one)"),
    };
    Error::new(Cause::Forbidden, "Origin", &reason)
}

/// Adds `Access-Control-Allow-Origin` for an allowed origin, never `*`: a
/// request whose `Origin` header is `*` (no browser sends one) is stored by a
/// site listing `*` but granted nothing.
fn with_cors(mut response: Response, allowed: Option<&str>) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    let echoed = allowed.filter(|origin| *origin != NOT_ASCII && *origin != "*");
    if let Some(value) = echoed.and_then(|origin| HeaderValue::from_str(origin).ok()) {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
    }
    response
}

/// The body of a 202 once the report is committed (or found a duplicate).
async fn accept(
    state: &AppState,
    origin: Option<&str>,
    headers: &HeaderMap,
    body: Body,
) -> Result<&'static str, Error> {
    check_content_type(headers)?;
    let bytes = read_body(headers, body).await?;
    let report = Report::decode(&bytes).map_err(|e| Error::engine(&e))?;
    let id = report.id().ok_or_else(|| Error::invalid("id", "is required"))?;
    let period = report.period().ok_or_else(|| Error::invalid("period", "is required"))?;
    let live = state.live();
    let site = live
        .sites
        .get(report.site())
        .ok_or_else(|| Error::invalid("site", &format!("\"{}\" is not a configured site", report.site())))?;
    if !site.allows(origin) {
        return Err(refuse_origin(origin, Some(&site.key)));
    }
    if report.service_level_seconds() != site.service_level_seconds {
        let reason =
            format!("must be {}, the threshold configured for site \"{}\"", site.service_level_seconds, site.key);
        return Err(Error::invalid("serviceLevelSeconds", &reason));
    }
    plausible::check(&report, period, site)?;
    if !live.rate_limiter.take(&site.key, Instant::now()) {
        return Err(super::too_many(&site.key, live.rate_limiter.limit()));
    }
    let received = now_ms();
    let incoming = Incoming { id, hour: bucket_hour(period, received), received_hour: floor_hour(received), report };
    match state.ingest.submit(incoming).await {
        Ok(Outcome::Stored) => Ok(STORED),
        Ok(Outcome::Duplicate) => Ok(r#"{"status":"duplicate"}"#),
        Ok(Outcome::Refused(error)) => Err(full_total(&error)),
        Err(error) => Err(error.because(Cause::Unavailable)),
    }
}

/// A 409 for a report that would break its hour's stored total.
fn full_total(error: &support_kpi::Error) -> Error {
    let reason = format!("{} (the site's stored total of that hour); this report was not counted", error.detail());
    Error::new(Cause::Conflict, error.field(), &reason)
}

fn check_content_type(headers: &HeaderMap) -> Result<(), Error> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|text| text.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    match media_type.as_deref() {
        Some("text/plain" | "application/json") => Ok(()),
        _ => Err(Error::new(Cause::UnsupportedMediaType, "Content-Type", "must be text/plain or application/json")),
    }
}

/// The body, at most [`MAX_BODY`] bytes (413 otherwise, before reading when the length is declared).
async fn read_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, Error> {
    let too_large = || Error::new(Cause::TooLarge, "body", "must be at most 65536 bytes");
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => Err(too_large()),
        Err(_) => Err(Error::invalid("body", "could not be read")),
    }
}
