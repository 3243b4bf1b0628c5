//! `GET /healthz` (for load balancers; no token; 503 while the store cannot
//! keep reports) and `GET /metrics`
//! (Prometheus text, behind the read token).

use super::AppState;
use super::kpis::authorize;
use crate::error::Error;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `ok`, then the store and its schema version; 503 `unhealthy: …` while a
/// storage failure stops reports from being stored (the store is asked too,
/// so a removed database file or a silent server shows before the next report).
pub(super) async fn health(State(state): State<Arc<AppState>>) -> Response {
    let store = Arc::clone(&state.store);
    let checked = tokio::task::spawn_blocking(move || store.check()).await;
    let health = state.ingest.health();
    match checked {
        Ok(Ok(())) => health.recover(),
        Ok(Err(error)) => {
            health.fail(error);
        }
        Err(join) => {
            health.fail(Error::failed(format!("storage: the check did not finish ({join})")));
        }
    }
    let status = state.store.status();
    let line = format!("store: {}, schema version {}", status.kind, status.schema_version);
    let (code, text) = match health.failure() {
        None => (StatusCode::OK, format!("ok\n{line}\n")),
        Some(failure) => (StatusCode::SERVICE_UNAVAILABLE, format!("unhealthy: {failure}\n{line}\n")),
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
