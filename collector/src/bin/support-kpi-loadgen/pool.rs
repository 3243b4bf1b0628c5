//! Connections to the collector, reused while the server keeps them open,
//! at most a fixed number at a time (a browser fleet behind a few thousand
//! sockets looks the same to the server as this pool). New connections go
//! to the collector instances in turn, as a load balancer spreads them.

use crate::client::Connection;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Idle connections and the permits that bound how many are in use.
pub struct Pool {
    addrs: Vec<SocketAddr>,
    next: AtomicUsize,
    idle: Mutex<Vec<Connection>>,
    permits: Semaphore,
    timeout: Duration,
}

impl Pool {
    /// A pool of at most `connections` connections to the instances at
    /// `addrs` (not empty); a request without an answer after `timeout` fails.
    pub fn new(addrs: Vec<SocketAddr>, connections: usize, timeout: Duration) -> Pool {
        let permits = Semaphore::new(connections);
        Pool { addrs, next: AtomicUsize::new(0), idle: Mutex::new(Vec::new()), permits, timeout }
    }

    /// Sends `request` on a free connection (waiting for one when all are
    /// busy); `Ok` only for a 202, otherwise the reason.
    pub async fn send(&self, request: &[u8]) -> Result<(), String> {
        let _permit = self.permits.acquire().await.map_err(|_| String::from("pool closed"))?;
        let reused = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut connection = match reused {
            Some(connection) => connection,
            None => {
                let addr = self.addrs[self.next.fetch_add(1, Ordering::Relaxed) % self.addrs.len()];
                Connection::open(addr).await.map_err(|e| format!("connect: {e}"))?
            }
        };
        let answer = tokio::time::timeout(self.timeout, connection.exchange(request))
            .await
            .map_err(|_| format!("no answer within {} s", self.timeout.as_secs_f64()))?
            .map_err(|e| format!("exchange: {e}"))?;
        if answer.reusable {
            self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
        }
        match answer.status {
            202 => Ok(()),
            status => Err(format!("status {status}")),
        }
    }
}
