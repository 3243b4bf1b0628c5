//! The single writer: group commit of incoming reports.
//!
//! Request handlers hand each validated report to one writer thread and
//! wait for its answer. The writer takes everything queued (up to
//! [`MAX_BATCH`]), stores it in one transaction (one fsync for the whole
//! batch), and only then answers every waiter, so an acknowledgement always
//! means "committed". While a batch commits, the next one queues up.

use crate::store::{Incoming, Outcome, Store, StoreError};
use crate::time::now_ms;
use std::sync::Arc;
use std::thread::JoinHandle;
use support_kpi::time::{DAY_MS, HOUR_MS, floor_hour};
use tokio::sync::{mpsc, oneshot};

/// Most reports committed in one transaction.
pub const MAX_BATCH: usize = 512;
/// Reports waiting for the writer before handlers wait to enqueue.
const QUEUE: usize = 8 * MAX_BATCH;
/// How long report ids are kept for de-duplication (retries come within days).
pub const ID_RETENTION_MS: i64 = 40 * DAY_MS;

type Reply = oneshot::Sender<Result<Outcome, StoreError>>;

/// A handle for submitting reports to the writer; cheap to clone.
#[derive(Clone)]
pub struct Ingest {
    queue: mpsc::Sender<(Incoming, Reply)>,
}

impl Ingest {
    /// Starts the writer thread on `store`. It ends once every handle is dropped
    /// and the queue is drained; join the returned handle to wait for that.
    pub fn start(store: Arc<dyn Store>) -> std::io::Result<(Ingest, JoinHandle<()>)> {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let writer = std::thread::Builder::new().name(String::from("ingest")).spawn(move || write(&*store, jobs))?;
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

/// The writer loop: batches until every sender is gone; forgets old ids hourly.
fn write(store: &dyn Store, mut jobs: mpsc::Receiver<(Incoming, Reply)>) {
    let mut forgotten_until = i64::MIN;
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
        let horizon = floor_hour(now_ms()) - ID_RETENTION_MS;
        if horizon >= forgotten_until + HOUR_MS {
            // Pruning is housekeeping: on failure it is tried again with the next batch.
            if store.forget_ids_before(horizon).is_ok() {
                forgotten_until = horizon;
            }
        }
        match store.ingest(&batch) {
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
