//! One batch in one transaction: exactly once across instances.
//!
//! 1. The batch's distinct ids go in with one `INSERT … ON CONFLICT DO
//!    NOTHING RETURNING id`: only the ids returned are new. An id that
//!    another instance's open transaction has just inserted makes this
//!    statement wait for that transaction: if it commits, the id is a
//!    duplicate here; if it rolls back, it is new here. So a report sent to
//!    two instances at the same moment counts once.
//! 2. Missing rollup rows of the new reports' keys are created empty (`ON
//!    CONFLICT DO NOTHING`, so a row another instance is creating is waited
//!    for, never overwritten); then every one of those rows is locked (`FOR
//!    UPDATE`) and read, once per batch however many of its reports the
//!    batch holds.
//! 3. The new reports are merged into those totals one by one with
//!    [`Totals`], as on SQLite: a report that would make its hour's total
//!    undecodable is refused alone and its id deleted again, in the same
//!    transaction, so a later report with that id is new.
//! 4. Every total that gained a report is written back with one `UPDATE`;
//!    a row created in step 2 that gained none (all its reports refused) is
//!    deleted again.
//!
//! Contention: two instances only wait for each other on the rows both
//! touch (the current hour of a busy site, typically), and only from the
//! row lock of step 2 to the commit: a few round trips, the update and the
//! commit's WAL flush, once per batch of up to 512 reports rather than once
//! per report. Ids and keys are taken in one fixed order (bytewise), so
//! two batches never deadlock on each other; a deadlock or serialization
//! failure the server reports anyway is rolled back and retried whole.

use crate::error::Error;
use crate::store::totals::{Totals, decode_total};
use crate::store::{Incoming, Outcome, Rollup};
use deadpool_postgres::{Pool, PoolError, Transaction};
use std::collections::{BTreeSet, HashMap, HashSet};
use tokio_postgres::error::SqlState;
/// Why a batch was not committed.
pub enum Failure {
    /// A deadlock or serialization failure: trying again may succeed.
    Conflict(tokio_postgres::Error),
    /// Anything else.
    Store(Error),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(error: tokio_postgres::Error) -> Self {
        let code = error.code();
        if code == Some(&SqlState::T_R_DEADLOCK_DETECTED) || code == Some(&SqlState::T_R_SERIALIZATION_FAILURE) {
            Failure::Conflict(error)
        } else {
            Failure::Store(Error::from(error))
        }
    }
}

impl From<PoolError> for Failure {
    fn from(error: PoolError) -> Self {
        Failure::Store(Error::from(error))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Store(error)
    }
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Conflict(error) => Error::from(error),
            Failure::Store(error) => error,
        }
    }
}

/// A rollup's key as stored: site, threshold, hour.
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
    let is_new = |index: usize, incoming: &Incoming| {
        let id = &incoming.id.0[..];
        first.get(id) == Some(&index) && new.contains(id)
    };

    let keys: BTreeSet<Key> = batch
        .iter()
        .enumerate()
        .filter(|&(index, incoming)| is_new(index, incoming))
        .map(|(_, incoming)| key_of(incoming))
        .collect();
    let mut stored = if keys.is_empty() { HashMap::new() } else { lock_rollups(&transaction, &keys).await? };

    let mut totals = Totals::default();
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut refused: Vec<&[u8]> = Vec::new();
    for (index, incoming) in batch.iter().enumerate() {
        if !is_new(index, incoming) {
            outcomes.push(Outcome::Duplicate);
            continue;
        }
        let outcome = totals.add(incoming, |_| Ok(stored.remove(&key_of(incoming))))?;
        if matches!(outcome, Outcome::Refused(_)) {
            refused.push(&incoming.id.0[..]);
        }
        outcomes.push(outcome);
    }
    if !refused.is_empty() {
        let forget = transaction.prepare_cached("DELETE FROM seen_ids WHERE id = ANY($1::bytea[])").await?;
        transaction.execute(&forget, &[&refused]).await?;
    }
    let changed: Vec<(Key, Rollup)> = totals
        .into_changed()
        .map(|((site, threshold, hour), rollup)| ((site.to_owned(), i64::from(threshold), hour), rollup))
        .collect();
    write_rollups(&transaction, &changed).await?;
    let unchanged: Vec<&Key> = keys.iter().filter(|key| !changed.iter().any(|(k, _)| k == *key)).collect();
    if !unchanged.is_empty() {
        delete_empty_rollups(&transaction, &unchanged).await?;
    }
    transaction.commit().await?;
    Ok(outcomes)
}

/// The rollup key of a report as stored.
fn key_of(incoming: &Incoming) -> Key {
    let report = &incoming.report;
    (report.site().to_owned(), i64::from(report.service_level_seconds()), incoming.hour)
}

/// The key columns of `keys`, as three arrays for `unnest`.
fn columns<'k>(keys: impl Iterator<Item = &'k Key>) -> (Vec<&'k str>, Vec<i64>, Vec<i64>) {
    let mut columns = (Vec::new(), Vec::new(), Vec::new());
    for (site, threshold, hour) in keys {
        columns.0.push(site.as_str());
        columns.1.push(*threshold);
        columns.2.push(*hour);
    }
    columns
}

/// Creates the missing rows of `keys`, locks all of them and returns the
/// stored totals (a row created empty has none); step 2 of the module doc.
async fn lock_rollups(transaction: &Transaction<'_>, keys: &BTreeSet<Key>) -> Result<HashMap<Key, Rollup>, Failure> {
    let (sites, thresholds, hours) = columns(keys.iter());
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
    let mut stored = HashMap::with_capacity(keys.len());
    for row in transaction.query(&lock, &[&sites, &thresholds, &hours]).await? {
        let reports: i64 = row.get(3);
        if reports > 0 {
            let hour = row.get(2);
            let report = decode_total(row.get(4))?;
            stored.insert((row.get::<_, &str>(0).to_owned(), row.get(1), hour), Rollup { hour, reports, report });
        }
    }
    Ok(stored)
}

/// Writes the totals that gained reports (step 4 of the module doc).
async fn write_rollups(transaction: &Transaction<'_>, changed: &[(Key, Rollup)]) -> Result<(), Failure> {
    if changed.is_empty() {
        return Ok(());
    }
    let (sites, thresholds, hours) = columns(changed.iter().map(|(key, _)| key));
    let counts: Vec<i64> = changed.iter().map(|(_, rollup)| rollup.reports).collect();
    let texts: Vec<String> = changed.iter().map(|(_, rollup)| rollup.report.encode()).collect();
    let update = transaction
        .prepare_cached(
            "UPDATE rollups r SET reports = u.n, report = u.report
             FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[]) AS u (s, t, h, n, report)
             WHERE r.site = u.s AND r.service_level_seconds = u.t AND r.hour = u.h",
        )
        .await?;
    let updated = transaction.execute(&update, &[&sites, &thresholds, &hours, &counts, &texts]).await?;
    if updated != changed.len() as u64 {
        return Err(Failure::Store(Error::failed(format!(
            "database: {updated} of {} rollups were written; the batch is rolled back",
            changed.len()
        ))));
    }
    Ok(())
}

/// Deletes the rows of `keys` that hold no report (created in step 2 for
/// reports that were all refused).
async fn delete_empty_rollups(transaction: &Transaction<'_>, keys: &[&Key]) -> Result<(), Failure> {
    let (sites, thresholds, hours) = columns(keys.iter().copied());
    let delete = transaction
        .prepare_cached(
            "DELETE FROM rollups r USING unnest($1::text[], $2::bigint[], $3::bigint[]) AS k (s, t, h)
             WHERE r.site = k.s AND r.service_level_seconds = k.t AND r.hour = k.h AND r.reports = 0",
        )
        .await?;
    transaction.execute(&delete, &[&sites, &thresholds, &hours]).await?;
    Ok(())
}
