//! The HTTP server: routes, shared state and JSON responses; connections
//! and their limits are in `listen.rs`.
//!
//! Nothing here logs requests, and no IP address or user agent is read.

mod kpis;
mod listen;
mod ops;
mod report;
mod static_files;

use crate::config::{Mount, Settings, Sites};
use crate::ingest::Ingest;
use crate::metrics::Metrics;
use crate::rate_limit::{RateLimit, RateLimiter};
use crate::store::Store;
use crate::token::ReadToken;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;
use tokio::net::TcpListener;

/// What every handler shares.
struct AppState {
    sites: Sites,
    read_token: ReadToken,
    ingest: Ingest,
    store: Arc<dyn Store>,
    mounts: Vec<Mount>,
    rate_limiter: RateLimiter,
    metrics: Arc<Metrics>,
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
    let rate_limiter =
        RateLimiter::new(limits.rate, settings.sites.iter().map(|site| site.key.as_str()), Instant::now());
    let state = AppState {
        sites: settings.sites,
        read_token: settings.read_token,
        ingest,
        store,
        mounts: settings.mounts,
        rate_limiter,
        metrics,
    };
    let served = listen::serve_connections(listener, router(Arc::new(state)), limits, shutdown).await;
    // The router (and with it the last submitting handle) is gone: the writer drains and ends.
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    served
}

fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(|| async { redirect("/dashboard/") }))
        .route("/healthz", get(ops::health))
        .route("/metrics", get(ops::metrics))
        .route("/api/report", post(report::receive).options(report::preflight))
        .route("/api/kpis", get(kpis::kpis))
        .route("/api/sites", get(kpis::sites))
        .fallback(static_files::serve)
        .with_state(state)
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
    response
}

/// An error answer: `{"error": "field: reason", "field": "field"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    status: StatusCode,
    field: String,
    error: String,
}

impl ApiError {
    /// An error with `status` about `field`.
    pub fn new(status: StatusCode, field: &str, reason: &str) -> ApiError {
        ApiError { status, field: field.to_owned(), error: format!("{field}: {reason}") }
    }

    /// A 429 for a site over its rate (sent with `Retry-After: 1`).
    pub fn too_many(site: &str, limit: RateLimit) -> ApiError {
        let reason =
            format!("\"{site}\" sends more than {} reports per second (bursts of {})", limit.per_second, limit.burst);
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "site", &reason)
    }

    /// A 400 about `field`.
    pub fn bad_request(field: &str, reason: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, field, reason)
    }

    /// A 400 from the engine's validation, with its `field: reason` text.
    pub fn invalid(error: &support_kpi::Error) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, field: error.field().to_owned(), error: error.message() }
    }

    /// The status code of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// A 500/503-style failure of the server itself.
    pub fn internal(status: StatusCode, error: &impl std::fmt::Display) -> ApiError {
        ApiError::new(status, "storage", &error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        #[derive(Serialize)]
        struct Body<'a> {
            error: &'a str,
            field: &'a str,
        }
        let mut response = json_response(self.status, &Body { error: &self.error, field: &self.field });
        let headers = response.headers_mut();
        match self.status {
            StatusCode::UNAUTHORIZED => headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")),
            StatusCode::TOO_MANY_REQUESTS => headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1")),
            _ => None,
        };
        response
    }
}
