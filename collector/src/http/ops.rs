//! `GET /healthz` (for load balancers; no token) and `GET /metrics`
//! (Prometheus text, behind the read token).

use super::AppState;
use super::kpis::authorize;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `ok`, then the store and its schema version.
pub(super) async fn health(State(state): State<Arc<AppState>>) -> Response {
    let status = state.store.status();
    let text = format!("ok\nstore: {}, schema version {}\n", status.kind, status.schema_version);
    plain(text, "text/plain; charset=utf-8")
}

/// The instance's counters (see `metrics.rs`).
pub(super) async fn metrics(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(error) = authorize(&state, &headers) {
        return error.into_response();
    }
    plain(state.metrics.render(state.store.status()), "text/plain; version=0.0.4; charset=utf-8")
}

fn plain(text: String, content_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
