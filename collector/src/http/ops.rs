//! `GET /healthz` (for load balancers; no token; 503 when the store cannot
//! be used) and `GET /metrics`
//! (Prometheus text, behind the read token).

use super::AppState;
use super::kpis::authorize;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `ok`, then the store and its schema version; 503 `unhealthy: …` when the store cannot be used.
pub(super) async fn health(State(state): State<Arc<AppState>>) -> Response {
    let store = Arc::clone(&state.store);
    let checked = tokio::task::spawn_blocking(move || store.check()).await;
    let status = state.store.status();
    let line = format!("store: {}, schema version {}", status.kind, status.schema_version);
    let (code, text) = match checked {
        Ok(Ok(())) => (StatusCode::OK, format!("ok\n{line}\n")),
        Ok(Err(error)) => (StatusCode::SERVICE_UNAVAILABLE, format!("unhealthy: {error}\n{line}\n")),
        Err(join) => (StatusCode::SERVICE_UNAVAILABLE, format!("unhealthy: {join}\n{line}\n")),
    };
    plain(code, text, "text/plain; charset=utf-8")
}

/// The instance's counters (see `metrics.rs`).
pub(super) async fn metrics(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    if let Err(error) = authorize(&state, &headers) {
        return error.into_response();
    }
    plain(StatusCode::OK, state.metrics.render(state.store.status()), "text/plain; version=0.0.4; charset=utf-8")
}

fn plain(code: StatusCode, text: String, content_type: &'static str) -> Response {
    let mut response = (code, text).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
