//! The single writer: group commit of incoming reports.
//!
//! Request handlers hand each validated report to one writer thread and
//! wait for its answer. The writer takes everything queued (up to
//! [`MAX_BATCH`]), stores it in one transaction (one fsync for the whole
//! batch), and only then answers every waiter, so an acknowledgement always
//! means "committed". While a batch commits, the next one queues up.
//!
//! A storage failure is kept ([`Health`]) and logged once to stderr. On a
//! store whose failures last (SQLite), from then on every report is answered
//! with it (503) without touching the store, until the collector is
//! restarted; on one whose failures pass (PostgreSQL), every batch still
//! tries the store and the first that commits ends the failure.

use crate::error::Error;
use crate::metrics::Metrics;
use crate::store::{IdSlice, Incoming, Outcome, Store};
use crate::time::now_ms;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use support_kpi::time::{DAY_MS, floor_hour};
use tokio::sync::{mpsc, oneshot};

/// Most reports committed in one transaction.
pub const MAX_BATCH: usize = 512;
/// Reports waiting for the writer before handlers wait to enqueue.
const QUEUE: usize = 8 * MAX_BATCH;
/// How long report ids are kept for de-duplication (retries come within days).
pub const ID_RETENTION_MS: i64 = 40 * DAY_MS;
/// Time between forgetting old ids of one slice and of the next: all 256
/// slices in about 43 minutes, so an id is forgotten within an hour after
/// its retention.
const PRUNE_EVERY: Duration = Duration::from_secs(10);

type Reply = oneshot::Sender<Result<Outcome, Error>>;

/// Whether storage keeps what it acknowledges: the failure that stops it, if any.
pub struct Health {
    /// True when a failure lasts until restart ([`Store::failure_lasts`]).
    lasting: bool,
    failure: Mutex<Option<Error>>,
}

impl Health {
    /// No failure yet; `lasting` as the store says.
    fn new(lasting: bool) -> Health {
        Health { lasting, failure: Mutex::new(None) }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Error>> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The failure that stops storing, if one does.
    pub fn failure(&self) -> Option<Error> {
        self.lock().clone()
    }

    /// Records `error` as the failure (a lasting one keeps the first) and
    /// returns the one kept; the start of a failure is logged to stderr
    /// (its cause and the path, never a client's address or user agent).
    pub fn fail(&self, error: Error) -> Error {
        let mut failure = self.lock();
        if failure.is_none() {
            let until = if self.lasting { "until restarted" } else { "until the store answers again" };
            eprintln!("support-kpi-collector: storage failed, answering 503 {until}: {error}");
        }
        match &*failure {
            Some(first) if self.lasting => first.clone(),
            _ => failure.insert(error).clone(),
        }
    }

    /// The store answered: a failure that does not last is over.
    pub fn recover(&self) {
        if self.lasting {
            return;
        }
        if self.lock().take().is_some() {
            eprintln!("support-kpi-collector: storage answers again");
        }
    }

    /// The lasting failure, which stops reports before they reach the store.
    fn lasting_failure(&self) -> Option<Error> {
        if self.lasting { self.failure() } else { None }
    }
}

/// A handle for submitting reports to the writer; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<(Incoming, Reply)>,
    health: Arc<Health>,
}

impl Ingest {
    /// Starts the writer thread on `store`, counting its batches in `metrics`. It ends once
    /// every handle is dropped and the queue is drained; join the returned handle to wait for that.
    pub fn start(store: Arc<dyn Store>, metrics: Arc<Metrics>) -> std::io::Result<(Ingest, JoinHandle<()>)> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let health = Arc::new(Health::new(store.failure_lasts()));
        let writer_health = Arc::clone(&health);
        let writer = std::thread::Builder::new()
            .name(String::from("ingest"))
            .spawn(move || write(&*store, &writer_health, &metrics, jobs))?;
        Ok((Ingest { queue, health }, writer))
    }

    /// The storage's health, shared with the writer.
    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Stores one report; resolves once it is committed (or found to be a
    /// duplicate, or refused); fails at once after a lasting storage failure.
    pub async fn submit(&self, incoming: Incoming) -> Result<Outcome, Error> {
        if let Some(failure) = self.health.lasting_failure() {
            return Err(failure);
        }
        let stopped = || Error::failed("the writer has stopped");
        let (reply, answer) = oneshot::channel();
        self.queue.send((incoming, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The writer loop: batches until every sender is gone; forgets old ids slice by slice.
fn write(store: &dyn Store, health: &Health, metrics: &Metrics, mut jobs: mpsc::Receiver<(Incoming, Reply)>) {
    let mut slice = IdSlice(0);
    let mut next_prune = Instant::now();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut replies = Vec::with_capacity(MAX_BATCH);
    while let Some((incoming, reply)) = jobs.blocking_recv() {
        batch.push(incoming);
        replies.push(reply);
        while batch.len() < MAX_BATCH {
            let Ok((incoming, reply)) = jobs.try_recv() else { break };
            batch.push(incoming);
            replies.push(reply);
        }
        if Instant::now() >= next_prune {
            // Pruning is housekeeping: on failure the slice is tried again after the next pause.
            if store.forget_ids_before(floor_hour(now_ms()) - ID_RETENTION_MS, slice).is_ok() {
                slice = slice.next();
            }
            next_prune = Instant::now() + PRUNE_EVERY;
        }
        let stored = match health.lasting_failure() {
            Some(failure) => Err(failure),
            None => {
                let started = Instant::now();
                let stored = store.ingest(&batch);
                metrics.batch(batch.len(), started.elapsed(), stored.is_ok());
                match stored {
                    Ok(outcomes) => {
                        health.recover();
                        Ok(outcomes)
                    }
                    Err(error) => Err(health.fail(error)),
                }
            }
        };
        match stored {
            Ok(outcomes) => {
                for (reply, outcome) in replies.drain(..).zip(outcomes) {
                    // A waiter that gave up (timeout, closed connection) needs no answer.
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(error) => {
                for reply in replies.drain(..) {
                    let _ = reply.send(Err(error.clone()));
                }
            }
        }
        batch.clear();
    }
}
