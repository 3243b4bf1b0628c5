//! The HTTP server: routes, shared state and JSON responses; connections
//! and their limits are in `listen.rs`.
//!
//! Nothing here logs requests, and no IP address or user agent is read.

mod csv;
mod kpis;
mod listen;
mod openapi;
mod ops;
mod reload;
mod report;
mod staffing;
mod static_files;

pub use static_files::embedded::missing as missing_embedded_files;

use crate::config::{Mount, Settings, Sites};
use crate::error::{Cause, Error};
use crate::ingest::Ingest;
use crate::metrics::Metrics;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::store::Store;
use crate::token::ReadToken;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, options, post};
use serde::Serialize;
use std::future::Future;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;
use tokio::net::TcpListener;

/// What every handler shares.
struct AppState {
    /// Replaced whole when the sites file is reloaded (SIGHUP).
    live: RwLock<Arc<Live>>,
    read_token: ReadToken,
    ingest: Ingest,
    store: Arc<dyn Store>,
    mounts: Vec<Mount>,
    metrics: Arc<Metrics>,
}

/// The sites in force and their rate buckets.
struct Live {
    sites: Sites,
    rate_limiter: RateLimiter,
}

impl Live {
    /// `sites` with full rate buckets.
    fn new(sites: Sites, rate: RateLimit) -> Live {
        let rate_limiter = RateLimiter::new(rate, sites.iter().map(|site| site.key.as_str()), Instant::now());
        Live { sites, rate_limiter }
    }
}

impl AppState {
    /// The sites in force now; a request keeps the ones it started with.
    fn live(&self) -> Arc<Live> {
        Arc::clone(&self.live.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Serves until `shutdown` resolves, then lets open requests finish and
/// waits for the writer to commit what it was given.
pub async fn serve(
    settings: Settings,
    store: Arc<dyn Store>,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let metrics = Arc::new(Metrics::default());
    let (ingest, writer) = Ingest::start(Arc::clone(&store), Arc::clone(&metrics))?;
    let limits = settings.limits;
    let state = Arc::new(AppState {
        live: RwLock::new(Arc::new(Live::new(settings.sites, limits.rate))),
        read_token: settings.read_token,
        ingest,
        store: Arc::clone(&store),
        mounts: settings.mounts,
        metrics,
    });
    let alerts = reload::Alerts { store, interval: settings.alert_interval, first_backoff: settings.alert_retry };
    let (stop, stopped) = tokio::sync::oneshot::channel();
    let supervised = reload::supervise(Arc::clone(&state), settings.sites_source, alerts, reload::hangups(), stopped);
    let supervisor = tokio::spawn(supervised);
    let served = listen::serve_connections(listener, router(state), limits, shutdown).await;
    let _ = stop.send(());
    let _ = supervisor.await;
    // The router (and with it the last submitting handle) is gone: the writer drains and ends.
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    served
}

/// Every operation under `/api/`: path, method and handler. The OpenAPI
/// document (`collector/openapi.json`) describes exactly these; a test holds
/// the two equal.
fn api_operations() -> [(&'static str, Method, MethodRouter<Arc<AppState>>); 6] {
    [
        ("/api/report", Method::POST, post(report::receive)),
        ("/api/report", Method::OPTIONS, options(report::preflight)),
        ("/api/kpis", Method::GET, get(kpis::kpis)),
        ("/api/sites", Method::GET, get(kpis::sites)),
        ("/api/staffing", Method::GET, get(staffing::staffing)),
        ("/api/openapi.json", Method::GET, get(openapi::document)),
    ]
}

/// The path and method of every operation under `/api/` (GET ones answer HEAD too).
pub fn api_routes() -> Vec<(&'static str, Method)> {
    api_operations().into_iter().map(|(path, method, _)| (path, method)).collect()
}

/// The HTTP API for `serve --help`: one line per operation, with the summary
/// that `collector/openapi.json` gives it.
pub fn api_help() -> String {
    let document: serde_json::Value = serde_json::from_str(openapi::DOCUMENT).unwrap_or_default();
    let mut help = String::from("HTTP API (GET /api/openapi.json describes every route as OpenAPI 3.1):\n");
    for (path, method) in api_routes() {
        let operation = &document["paths"][path][method.as_str().to_ascii_lowercase()];
        let summary = operation["summary"].as_str().unwrap_or_default();
        help.push_str(&format!("  {:<8}{path:<20}{summary}\n", method.as_str()));
    }
    help.push_str(
        "Also: GET /healthz, GET /metrics (Prometheus), GET / and static files (the dashboard at /dashboard/)",
    );
    help
}

fn router(state: Arc<AppState>) -> Router {
    let mut router = Router::new()
        .route("/", get(|| async { redirect("/dashboard/") }))
        .route("/healthz", get(ops::health))
        .route("/metrics", get(ops::metrics));
    for (path, _, handler) in api_operations() {
        router = router.route(path, handler);
    }
    refuse_other_methods(router).fallback(static_files::serve).with_state(state)
}

/// `router` answering 405 to the methods a path under `/api/` does not serve (axum adds `Allow`).
fn refuse_other_methods(mut router: Router<Arc<AppState>>) -> Router<Arc<AppState>> {
    let routes = api_routes();
    let mut paths: Vec<&str> = routes.iter().map(|(path, _)| *path).collect();
    paths.sort_unstable();
    paths.dedup();
    for path in paths {
        let allowed: Vec<&str> = routes.iter().filter(|(p, _)| *p == path).map(|(_, m)| m.as_str()).collect();
        let error = Error::new(Cause::MethodNotAllowed, "method", &format!("must be {}", allowed.join(" or ")));
        // Merged into the path's handlers, it answers only the methods they do not.
        router = router.route(path, MethodRouter::new().fallback(move || std::future::ready(error.clone())));
    }
    router
}

/// A temporary redirect to `location`.
fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// `value` as a JSON response that no cache keeps.
fn json_response(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_string(value) {
        Ok(text) => json_text_response(status, text),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// JSON text as a response that no cache keeps.
fn json_text_response(status: StatusCode, text: impl Into<Body>) -> Response {
    let mut response = (status, text.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A site over its rate: 429 with `Retry-After: 1`.
fn too_many(site: &str, limit: RateLimit) -> Error {
    let reason =
        format!("\"{site}\" sends more than {} reports per second (bursts of {})", limit.per_second, limit.burst);
    Error::new(Cause::TooMany, "site", &reason)
}

/// A failure of the server itself (a task that did not finish, a KPI
/// object that did not serialize): 500, logged.
fn internal(error: &impl std::fmt::Display) -> Error {
    Error::failed(error.to_string())
}

/// The JSON answer of an error, `{"error": "field: reason", "field": "field"}`,
/// with the status, `Retry-After` and logging of its cause ([`Cause::answer`]).
/// A storage error's text says `storage: ` and what failed (`busy, try again (…)`
/// when busy).
impl IntoResponse for Error {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
            field: &'a str,
        }
        let cause = self.cause();
        let answer = cause.answer();
        if answer.logged {
            let what = if cause == Cause::Corrupt { "holds rollups it cannot read" } else { "failed" };
            let during = self.context().map(|what| format!("{what}: ")).unwrap_or_default();
            eprintln!("support-kpi-collector: {during}the store {what}: {}", self.message());
        }
        let text = match cause {
            Cause::Busy => format!("storage: busy, try again ({})", self.message()),
            cause if cause.is_storage() => format!("storage: {}", self.message()),
            _ => self.message().to_owned(),
        };
        let mut response = json_response(answer.status, &Body { error: &text, field: self.field() });
        let headers = response.headers_mut();
        if cause == Cause::Unauthorized {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if answer.retry {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_answer_by_cause() {
        for (error, status, retry) in [
            (Error::busy(String::from("database is locked")), StatusCode::SERVICE_UNAVAILABLE, Some("1")),
            (Error::failed(String::from("disk I/O error")), StatusCode::INTERNAL_SERVER_ERROR, None),
            (Error::corrupt(String::from("a stored rollup does not decode")), StatusCode::INTERNAL_SERVER_ERROR, None),
        ] {
            let answer = error.clone().during("reading the rollups of site \"a\"");
            assert_eq!((answer.status(), answer.field()), (status, "storage"), "{error}");
            assert!(answer.message().contains(error.message()), "{error}");
            let response = answer.into_response();
            assert_eq!(response.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap()), retry, "{error}");
        }
    }
}
