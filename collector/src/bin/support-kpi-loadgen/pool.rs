//! Connections to the collector, reused while the server keeps them open,
//! at most a fixed number at a time (a browser fleet behind a few thousand
//! sockets looks the same to the server as this pool). New connections go
//! to the collector instances in turn, as a load balancer spreads them.
//! A request a reused connection left unanswered goes once more on a new
//! one, as browsers resend on a keep-alive socket the server had closed.

use crate::client::{Answer, Connection, Failure};
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
    /// busy); `Ok` only for a 202, otherwise the reason. Its report's id
    /// makes a resent copy count once.
    pub async fn send(&self, request: &[u8]) -> Result<(), String> {
        let _permit = self.permits.acquire().await.map_err(|_| String::from("pool closed"))?;
        let reused = self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let (connection, answer) = match reused {
            Some(mut connection) => match self.exchange(&mut connection, request).await? {
                Err(Failure::Unanswered(_)) => self.exchange_on_new(request).await?,
                answer => (connection, answer),
            },
            None => self.exchange_on_new(request).await?,
        };
        let answer = answer.map_err(|e| format!("exchange: {e}"))?;
        if answer.reusable {
            self.idle.lock().unwrap_or_else(PoisonError::into_inner).push(connection);
        }
        match answer.status {
            202 => Ok(()),
            status => Err(format!("status {status}")),
        }
    }

    /// Opens a connection to the next instance and sends `request` on it.
    async fn exchange_on_new(&self, request: &[u8]) -> Result<(Connection, Result<Answer, Failure>), String> {
        let addr = self.addrs[self.next.fetch_add(1, Ordering::Relaxed) % self.addrs.len()];
        let mut connection = Connection::open(addr).await.map_err(|e| format!("connect: {e}"))?;
        let answer = self.exchange(&mut connection, request).await?;
        Ok((connection, answer))
    }

    /// `request`'s exchange on `connection`; `Err` when no answer came within the timeout.
    async fn exchange(&self, connection: &mut Connection, request: &[u8]) -> Result<Result<Answer, Failure>, String> {
        tokio::time::timeout(self.timeout, connection.exchange(request))
            .await
            .map_err(|_| format!("no answer within {} s", self.timeout.as_secs_f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::Pool;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const REQUEST: &[u8] = b"POST /api/report HTTP/1.1\r\ncontent-length: 0\r\n\r\n";

    /// A server on loopback that takes `connections` connections in turn and
    /// on each reads one request, answers it with a 202 when `answer`, and
    /// closes the connection without saying so (as an idle timeout does).
    async fn server(connections: usize, answer: bool) -> (std::net::SocketAddr, tokio::task::JoinHandle<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let served = tokio::spawn(async move {
            for _ in 0..connections {
                let (mut stream, _) = listener.accept().await.unwrap();
                let _ = stream.read(&mut [0; 1024]).await.unwrap();
                if answer {
                    stream.write_all(b"HTTP/1.1 202 Accepted\r\ncontent-length: 2\r\n\r\n{}").await.unwrap();
                }
            }
        });
        (addr, served)
    }

    #[tokio::test]
    async fn resends_on_a_new_connection_what_a_closed_one_left_unanswered() {
        let (addr, served) = server(2, true).await;
        let pool = Pool::new(vec![addr], 1, Duration::from_secs(30));
        assert_eq!(pool.send(REQUEST).await, Ok(()));
        // The pool kept the first connection, which the server has closed.
        assert_eq!(pool.send(REQUEST).await, Ok(()));
        served.await.unwrap();
    }

    #[tokio::test]
    async fn a_new_connection_left_unanswered_is_an_error() {
        let (addr, served) = server(1, false).await;
        let pool = Pool::new(vec![addr], 1, Duration::from_secs(30));
        let error = pool.send(REQUEST).await.unwrap_err();
        assert!(error.starts_with("exchange: no answer"), "{error}");
        served.await.unwrap();
    }
}
