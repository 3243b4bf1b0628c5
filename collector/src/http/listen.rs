//! The accept loop: HTTP/1.1 connections under the server's [`Limits`].
//!
//! - at most `max_connections` connections at once (further clients wait
//!   in the kernel's listen backlog until one closes);
//! - a request's headers must arrive within `header_timeout`, and an idle
//!   keep-alive connection is closed after as long, so slow or silent
//!   clients cannot hold connections;
//! - request heads at most [`MAX_HEAD`] bytes, query strings at most
//!   [`MAX_QUERY`] (414);
//! - every request answered within `request_timeout`, reading its body
//!   included (408).
//!
//! The peer's address is never looked at.

use crate::error::{Cause, Error};
use crate::limits::{Limits, MAX_HEAD, MAX_QUERY, seconds_text};
use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_service::Service;

/// Pause after a failed `accept` (e.g. out of file descriptors) before the next.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `router` on `listener` until `shutdown` resolves, then waits for
/// the open connections to finish their requests.
pub async fn serve_connections(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).max_buf_size(MAX_HEAD);
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&connections).acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(_) => {
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers leave as soon as they are written (they are small).
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: Request<Incoming>| {
            let router = router.clone();
            async move { Ok::<_, Infallible>(answer(router, request, limits.request_timeout).await) }
        });
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A connection error (reset, timeout, malformed request) concerns that connection only.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// The router's answer to `request`, within the query and time limits.
async fn answer(mut router: Router, request: Request<Incoming>, limit: Duration) -> Response {
    if request.uri().query().is_some_and(|query| query.len() > MAX_QUERY) {
        let reason = format!("must be at most {MAX_QUERY} bytes");
        return Error::new(Cause::UriTooLong, "query", &reason).into_response();
    }
    match tokio::time::timeout(limit, router.call(request)).await {
        Ok(Ok(response)) => response,
        Ok(Err(never)) => match never {},
        Err(_) => {
            let reason = format!("took longer than {}", seconds_text(limit));
            Error::new(Cause::Timeout, "request", &reason).into_response()
        }
    }
}
