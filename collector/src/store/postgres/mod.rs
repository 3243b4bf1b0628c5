//! The [`Store`] in a PostgreSQL database, shared by any number of
//! collector instances.
//!
//! The same two tables as SQLite (`seen_ids`, `rollups`; see `schema.rs`).
//! Exactly-once across instances comes from the primary key of `seen_ids`
//! and one transaction per batch (`batch.rs`). Connections come from a pool
//! (`connect.rs`): the instance's writer takes one per batch, KPI queries
//! take others, so reads never wait for a commit.
//!
//! The [`Store`] trait is synchronous (the writer is a thread of its own),
//! so each call runs the async driver on the server's Tokio runtime with
//! [`Handle::block_on`]; callers are the writer thread and blocking tasks,
//! never a runtime worker.

mod batch;
pub mod connect;
mod schema;
mod tls;

use super::totals::decode_total;
use super::{IdSlice, Incoming, Outcome, PoolUse, Rollup, Store, StoreStatus};
use crate::error::Error;
use connect::PgTarget;
use deadpool_postgres::{Pool, PoolError};
pub use schema::SCHEMA_VERSION;
use tokio::runtime::Handle;

/// How often a batch is tried again after a deadlock or serialization failure.
const RETRIES: usize = 3;

/// Reports' ids and hourly rollups in a PostgreSQL database.
pub struct PgStore {
    pool: Pool,
    runtime: Handle,
}

/// A driver error as text: the server's message and SQLSTATE when it sent
/// one, else the error and its cause (a refused connection, a certificate).
fn describe(error: &tokio_postgres::Error) -> String {
    match (error.as_db_error(), std::error::Error::source(error)) {
        (Some(db), _) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        (None, Some(cause)) => format!("{error}: {cause}"),
        (None, None) => error.to_string(),
    }
}

impl From<tokio_postgres::Error> for Error {
    fn from(error: tokio_postgres::Error) -> Self {
        Error::failed(format!("database: {}", describe(&error)))
    }
}

impl From<PoolError> for Error {
    fn from(error: PoolError) -> Self {
        match error {
            PoolError::Backend(error) => Error::from(error),
            timeout @ PoolError::Timeout(_) => Error::busy(format!("database: no connection ({timeout})")),
            other => Error::failed(format!("database: no connection ({other})")),
        }
    }
}

impl PgStore {
    /// Connects to `target` with a pool of at most `pool_size` connections
    /// and migrates the schema; must run on the Tokio runtime that will
    /// serve the store.
    pub async fn open(target: &PgTarget, pool_size: usize) -> Result<PgStore, Error> {
        let pool = target.pool(pool_size).map_err(Error::failed)?;
        let mut client =
            pool.get().await.map_err(|e| Error::from(e).reworded(|message| format!("{message} ({target})")))?;
        schema::migrate(&mut client).await.map_err(Error::failed)?;
        Ok(PgStore { pool, runtime: Handle::current() })
    }

    /// The pool, for copying a SQLite database in (`migrate-store`).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }
}

impl Store for PgStore {
    fn ingest(&self, batch: &[Incoming]) -> Result<Vec<Outcome>, Error> {
        self.runtime.block_on(async {
            let mut tries = 0;
            loop {
                match batch::ingest(&self.pool, batch).await {
                    Err(batch::Failure::Conflict(_)) if tries < RETRIES => tries += 1,
                    result => return result.map_err(Error::from),
                }
            }
        })
    }

    fn rollups(&self, site: &str, service_level_seconds: u32, from: i64, to: i64) -> Result<Vec<Rollup>, Error> {
        self.runtime.block_on(async {
            let client = self.pool.get().await?;
            let select = client
                .prepare_cached(
                    "SELECT hour, reports, report FROM rollups
                     WHERE site = $1 AND service_level_seconds = $2 AND hour >= $3 AND hour < $4 ORDER BY hour",
                )
                .await?;
            let rows = client.query(&select, &[&site, &i64::from(service_level_seconds), &from, &to]).await?;
            rows.iter()
                .map(|row| Ok(Rollup { hour: row.get(0), reports: row.get(1), report: decode_total(row.get(2))? }))
                .collect()
        })
    }

    fn forget_ids_before(&self, before: i64, slice: IdSlice) -> Result<usize, Error> {
        // bytea compares bytewise, a prefix first: [s] <= every id starting with s < [s + 1].
        let from = vec![slice.0];
        let to = match slice.0.checked_add(1) {
            Some(next) => vec![next],
            None => vec![0xff; 17],
        };
        self.runtime.block_on(async {
            let client = self.pool.get().await?;
            let delete =
                client.prepare_cached("DELETE FROM seen_ids WHERE id >= $1 AND id < $2 AND received_hour < $3").await?;
            let deleted = client.execute(&delete, &[&from, &to, &before]).await?;
            Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
        })
    }

    fn check(&self) -> Result<(), Error> {
        self.runtime.block_on(async {
            self.pool.get().await?.simple_query("SELECT 1").await?;
            Ok(())
        })
    }

    /// A server that stopped answering may answer again: nothing is lost by
    /// a failed transaction, so the failure lasts only while it does.
    fn failure_lasts(&self) -> bool {
        false
    }

    fn status(&self) -> StoreStatus {
        let pool = self.pool.status();
        StoreStatus {
            kind: "postgresql",
            schema_version: SCHEMA_VERSION,
            pool: Some(PoolUse { max: pool.max_size, open: pool.size, idle: pool.available, waiting: pool.waiting }),
        }
    }
}
