//! The single writer: group commit of incoming reports.
//!
//! Request handlers hand each validated report to one writer thread and
//! wait for its answer. The writer takes everything queued (up to
//! [`MAX_BATCH`]), stores it in one transaction (one fsync for the whole
//! batch), and only then answers every waiter, so an acknowledgement always
//! means "committed". While a batch commits, the next one queues up.

use crate::metrics::Metrics;
use crate::store::{IdSlice, Incoming, Outcome, Store, StoreError};
use crate::time::now_ms;
use std::sync::Arc;
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

type Reply = oneshot::Sender<Result<Outcome, StoreError>>;

/// A handle for submitting reports to the writer; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<(Incoming, Reply)>,
}

impl Ingest {
    /// Starts the writer thread on `store`, counting its batches in `metrics`. It ends once
    /// every handle is dropped and the queue is drained; join the returned handle to wait for that.
    pub fn start(store: Arc<dyn Store>, metrics: Arc<Metrics>) -> std::io::Result<(Ingest, JoinHandle<()>)> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let writer =
            std::thread::Builder::new().name(String::from("ingest")).spawn(move || write(&*store, &metrics, jobs))?;
        Ok((Ingest { queue }, writer))
    }

    /// Stores one report; resolves once it is committed (or found to be a duplicate).
    pub async fn submit(&self, incoming: Incoming) -> Result<Outcome, StoreError> {
        let stopped = || StoreError(String::from("storage: the writer has stopped"));
        let (reply, answer) = oneshot::channel();
        self.queue.send((incoming, reply)).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The writer loop: batches until every sender is gone; forgets old ids slice by slice.
fn write(store: &dyn Store, metrics: &Metrics, mut jobs: mpsc::Receiver<(Incoming, Reply)>) {
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
        let started = Instant::now();
        let stored = store.ingest(&batch);
        metrics.batch(batch.len(), started.elapsed(), stored.is_ok());
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
