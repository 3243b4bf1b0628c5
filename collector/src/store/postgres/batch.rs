//! One batch in one transaction: exactly once across instances.
//!
//! 1. The batch's distinct ids go in with one `INSERT … ON CONFLICT DO
//!    NOTHING RETURNING id`: only the ids returned are new. An id that
//!    another instance's open transaction has just inserted makes this
//!    statement wait for that transaction: if it commits, the id is a
//!    duplicate here; if it rolls back, it is new here. So a report sent to
//!    two instances at the same moment counts once.
//! 2. The new reports are merged per rollup key in memory (an upsert may
//!    touch a row once per statement, and each key is then read and written
//!    once per batch, however many of its reports the batch holds).
//! 3. Missing rollup rows are created empty (`ON CONFLICT DO NOTHING`, so a
//!    row another instance is creating is waited for, never overwritten);
//!    then every touched row is locked (`FOR UPDATE`), merged with the
//!    batch's part and written back with one `UPDATE`.
//!
//! Contention: two instances only wait for each other on the rows both
//! touch (the current hour of a busy site, typically), and only from the
//! row lock of step 3 to the commit: one round trip, the update and the
//! commit's WAL flush, once per batch of up to 512 reports rather than once
//! per report. Ids and keys are taken in one fixed order (bytewise), so
//! two batches never deadlock on each other; a deadlock or serialization
//! failure the server reports anyway is rolled back and retried whole.

use super::corrupt;
use crate::store::{Incoming, Outcome, StoreError};
use deadpool_postgres::{Pool, PoolError};
use std::collections::{BTreeMap, HashMap, HashSet};
use support_kpi::Report;
use tokio_postgres::error::SqlState;

/// Why a batch was not committed.
pub enum Failure {
    /// A deadlock or serialization failure: trying again may succeed.
    Conflict(tokio_postgres::Error),
    /// Anything else.
    Store(StoreError),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(error: tokio_postgres::Error) -> Self {
        let code = error.code();
        if code == Some(&SqlState::T_R_DEADLOCK_DETECTED) || code == Some(&SqlState::T_R_SERIALIZATION_FAILURE) {
            Failure::Conflict(error)
        } else {
            Failure::Store(StoreError::from(error))
        }
    }
}

impl From<PoolError> for Failure {
    fn from(error: PoolError) -> Self {
        Failure::Store(StoreError::from(error))
    }
}

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure::Store(error)
    }
}

impl From<Failure> for StoreError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Conflict(error) => StoreError::from(error),
            Failure::Store(error) => error,
        }
    }
}

/// A rollup's key: site, threshold, hour.
type Key = (String, i64, i64);

/// Stores `batch` in one transaction; one outcome per report, in order.
pub async fn ingest(pool: &Pool, batch: &[Incoming]) -> Result<Vec<Outcome>, Failure> {
    // The first report with each id; a later one in the batch is its duplicate.
    let mut first: HashMap<&[u8], usize> = HashMap::with_capacity(batch.len());
    for (index, incoming) in batch.iter().enumerate() {
        first.entry(&incoming.id.0[..]).or_insert(index);
    }
    let mut distinct: Vec<(&[u8], i64)> = first.iter().map(|(id, &i)| (*id, batch[i].received_hour)).collect();
    distinct.sort_unstable();
    let (ids, received): (Vec<&[u8]>, Vec<i64>) = distinct.into_iter().unzip();

    let mut client = pool.get().await?;
    let transaction = client.transaction().await?;
    let remember = transaction
        .prepare_cached(
            "INSERT INTO seen_ids (id, received_hour) SELECT * FROM unnest($1::bytea[], $2::bigint[])
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .await?;
    let rows = transaction.query(&remember, &[&ids, &received]).await?;
    let new: HashSet<&[u8]> = rows.iter().map(|row| row.get::<_, &[u8]>(0)).collect();

    let mut outcomes = Vec::with_capacity(batch.len());
    let mut touched: BTreeMap<Key, (Report, i64)> = BTreeMap::new();
    for (index, incoming) in batch.iter().enumerate() {
        let id = &incoming.id.0[..];
        if first.get(id) != Some(&index) || !new.contains(id) {
            outcomes.push(Outcome::Duplicate);
            continue;
        }
        outcomes.push(Outcome::Stored);
        let report = &incoming.report;
        let (merged, count) = touched
            .entry((report.site.clone(), i64::from(report.service_level_seconds), incoming.hour))
            .or_insert_with(|| (Report::empty(&report.site, report.service_level_seconds), 0));
        merged.merge(report).map_err(|e| corrupt(&e))?;
        *count += 1;
    }
    if !touched.is_empty() {
        write_rollups(&transaction, touched).await?;
    }
    transaction.commit().await?;
    Ok(outcomes)
}

/// Adds the batch's merged reports to their rollups (steps 3 of the module doc).
async fn write_rollups(
    transaction: &deadpool_postgres::Transaction<'_>,
    mut touched: BTreeMap<Key, (Report, i64)>,
) -> Result<(), Failure> {
    let sites: Vec<String> = touched.keys().map(|key| key.0.clone()).collect();
    let thresholds: Vec<i64> = touched.keys().map(|key| key.1).collect();
    let hours: Vec<i64> = touched.keys().map(|key| key.2).collect();
    let create = transaction
        .prepare_cached(
            "INSERT INTO rollups (site, service_level_seconds, hour, reports, report)
             SELECT s, t, h, 0, '' FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS k (s, t, h)
             ON CONFLICT DO NOTHING",
        )
        .await?;
    transaction.execute(&create, &[&sites, &thresholds, &hours]).await?;
    let lock = transaction
        .prepare_cached(
            "SELECT r.site, r.service_level_seconds, r.hour, r.reports, r.report
             FROM rollups r JOIN unnest($1::text[], $2::bigint[], $3::bigint[]) AS k (s, t, h)
               ON r.site = k.s AND r.service_level_seconds = k.t AND r.hour = k.h
             ORDER BY r.site COLLATE \"C\", r.service_level_seconds, r.hour FOR UPDATE OF r",
        )
        .await?;
    for row in transaction.query(&lock, &[&sites, &thresholds, &hours]).await? {
        let reports: i64 = row.get(3);
        let key: Key = (row.get::<_, &str>(0).to_owned(), row.get(1), row.get(2));
        let Some((merged, count)) = touched.get_mut(&key) else { continue };
        if reports > 0 {
            let stored = Report::decode(row.get::<_, &str>(4).as_bytes()).map_err(|e| corrupt(&e))?;
            merged.merge(&stored).map_err(|e| corrupt(&e))?;
            *count += reports;
        }
    }
    let counts: Vec<i64> = touched.values().map(|(_, count)| *count).collect();
    let texts: Vec<String> = touched.values().map(|(merged, _)| merged.encode()).collect();
    let update = transaction
        .prepare_cached(
            "UPDATE rollups r SET reports = u.n, report = u.report
             FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[]) AS u (s, t, h, n, report)
             WHERE r.site = u.s AND r.service_level_seconds = u.t AND r.hour = u.h",
        )
        .await?;
    let updated = transaction.execute(&update, &[&sites, &thresholds, &hours, &counts, &texts]).await?;
    if updated != touched.len() as u64 {
        return Err(Failure::Store(StoreError(format!(
            "database: {updated} of {} rollups were written; the batch is rolled back",
            touched.len()
        ))));
    }
    Ok(())
}
