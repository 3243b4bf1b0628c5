//! The [`Store`] in one SQLite file (WAL, `synchronous=FULL`).
//!
//! Two tables: `seen_ids` (16-byte report id, hour of receipt) and
//! `rollups` (site, threshold, hour, number of reports, merged report JSON).
//! Raw reports are never stored. One connection writes (the ingest task's
//! batches), another reads, so dashboards never wait for a commit, and a
//! third checkpoints the WAL on its own thread (`checkpoint.rs`), so
//! commits never wait for a checkpoint.
//!
//! Ids are random, so each new one lands on a random page of `seen_ids`:
//! the table has no second index (which would dirty a second random page),
//! new databases use 1 KiB pages (a quarter of the WAL bytes per id), and
//! old ids are forgotten by scanning one [`IdSlice`] at a time.

use super::checkpoint::Checkpointer;
use super::{IdSlice, Incoming, Outcome, Rollup, Store, StoreError, StoreStatus};
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use support_kpi::Report;

/// Version of the schema below, kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 2;

/// Version 1 also had an index of `seen_ids` by hour; version 2 drops it.
const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS seen_ids (
        id BLOB PRIMARY KEY NOT NULL,
        received_hour INTEGER NOT NULL
    ) WITHOUT ROWID;
    DROP INDEX IF EXISTS seen_ids_by_hour;
    CREATE TABLE IF NOT EXISTS rollups (
        site TEXT NOT NULL,
        service_level_seconds INTEGER NOT NULL,
        hour INTEGER NOT NULL,
        reports INTEGER NOT NULL,
        report TEXT NOT NULL,
        UNIQUE (site, service_level_seconds, hour)
    );
    PRAGMA user_version = 2;
";

/// Page size of a new database file (an existing one keeps its own).
const PAGE_SIZE: i64 = 1024;
/// The writer's page cache, in KiB (a negative `cache_size`): the id index of a busy day.
const WRITER_CACHE_KIB: i64 = 64 * 1024;
/// Size the WAL file is truncated to when it starts over, in bytes.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;
/// How long a connection waits for a lock held by another.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Reports' ids and hourly rollups in a SQLite database file.
pub struct SqliteStore {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    _checkpointer: Checkpointer,
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError(format!("database: {error}"))
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and starts its checkpoint thread.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let writer = Connection::open(path)?;
        writer.busy_timeout(BUSY_TIMEOUT)?;
        writer.pragma_update(None, "page_size", PAGE_SIZE)?;
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError(format!("database: {} cannot use WAL (journal mode {mode})", path.display())));
        }
        writer.pragma_update(None, "synchronous", "FULL")?;
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        writer.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        let version: i64 = writer.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError(format!(
                "database: {} has schema version {version}; this collector knows version {SCHEMA_VERSION}",
                path.display()
            )));
        }
        writer.execute_batch(SCHEMA)?;
        let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        reader.busy_timeout(BUSY_TIMEOUT)?;
        let checkpoints = Connection::open(path)?;
        checkpoints.busy_timeout(BUSY_TIMEOUT)?;
        checkpoints.pragma_update(None, "synchronous", "FULL")?;
        let checkpointer = Checkpointer::start(checkpoints)
            .map_err(|e| StoreError(format!("database: cannot start the checkpoint thread ({e})")))?;
        Ok(SqliteStore { writer: Mutex::new(writer), reader: Mutex::new(reader), _checkpointer: checkpointer })
    }
}

/// A connection, even if a thread panicked while holding it (its
/// transaction was rolled back when the panic dropped it).
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection.lock().unwrap_or_else(PoisonError::into_inner)
}

fn corrupt(error: &support_kpi::Error) -> StoreError {
    StoreError(format!("database: a stored rollup does not decode or merge ({})", error.message()))
}

impl Store for SqliteStore {
    fn ingest(&self, batch: &[Incoming]) -> Result<Vec<Outcome>, StoreError> {
        let mut connection = lock(&self.writer);
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let outcomes = merge_batch(&transaction, batch)?;
        transaction.commit()?;
        Ok(outcomes)
    }

    fn rollups(&self, site: &str, service_level_seconds: u32, from: i64, to: i64) -> Result<Vec<Rollup>, StoreError> {
        let connection = lock(&self.reader);
        let mut select = connection.prepare_cached(
            "SELECT hour, reports, report FROM rollups
             WHERE site = ?1 AND service_level_seconds = ?2 AND hour >= ?3 AND hour < ?4 ORDER BY hour",
        )?;
        let rows = select.query_map(params![site, service_level_seconds, from, to], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, String>(2)?))
        })?;
        rows.map(|row| {
            let (hour, reports, text) = row?;
            let report = Report::decode(text.as_bytes()).map_err(|e| corrupt(&e))?;
            Ok(Rollup { hour, reports, report })
        })
        .collect()
    }

    fn forget_ids_before(&self, before: i64, slice: IdSlice) -> Result<usize, StoreError> {
        // Blobs compare bytewise, a prefix first: [s] <= every id starting with s < [s + 1].
        let from = [slice.0];
        let to = match slice.0.checked_add(1) {
            Some(next) => vec![next],
            None => vec![0xff; 17],
        };
        let connection = lock(&self.writer);
        let mut delete =
            connection.prepare_cached("DELETE FROM seen_ids WHERE id >= ?1 AND id < ?2 AND received_hour < ?3")?;
        Ok(delete.execute(params![&from[..], &to[..], before])?)
    }

    fn status(&self) -> StoreStatus {
        StoreStatus { kind: "sqlite", schema_version: SCHEMA_VERSION, pool: None }
    }
}

/// Records the ids, merges the new reports per rollup in memory, then
/// reads and writes each touched rollup once.
fn merge_batch(transaction: &Transaction, batch: &[Incoming]) -> Result<Vec<Outcome>, StoreError> {
    let mut remember =
        transaction.prepare_cached("INSERT OR IGNORE INTO seen_ids (id, received_hour) VALUES (?1, ?2)")?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut touched: HashMap<(&str, u32, i64), (Report, i64)> = HashMap::new();
    for incoming in batch {
        if remember.execute(params![&incoming.id.0[..], incoming.received_hour])? == 0 {
            outcomes.push(Outcome::Duplicate);
            continue;
        }
        outcomes.push(Outcome::Stored);
        let report = &incoming.report;
        let (merged, count) = touched
            .entry((report.site.as_str(), report.service_level_seconds, incoming.hour))
            .or_insert_with(|| (Report::empty(&report.site, report.service_level_seconds), 0));
        merged.merge(report).map_err(|e| corrupt(&e))?;
        *count += 1;
    }
    let mut load = transaction.prepare_cached(
        "SELECT reports, report FROM rollups WHERE site = ?1 AND service_level_seconds = ?2 AND hour = ?3",
    )?;
    let mut save = transaction.prepare_cached(
        "INSERT INTO rollups (site, service_level_seconds, hour, reports, report) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site, service_level_seconds, hour) DO UPDATE SET reports = excluded.reports, report = excluded.report",
    )?;
    for ((site, threshold, hour), (mut merged, mut count)) in touched {
        let stored = load
            .query_row(params![site, threshold, hour], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))
            .optional()?;
        if let Some((reports, text)) = stored {
            merged.merge(&Report::decode(text.as_bytes()).map_err(|e| corrupt(&e))?).map_err(|e| corrupt(&e))?;
            count += reports;
        }
        save.execute(params![site, threshold, hour, count, merged.encode()])?;
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use support_kpi::{Period, ReportId};

    const HOUR: i64 = 1_795_392_000_000;

    fn incoming(id: u8, site: &str, hour: i64, page_views: i64) -> Incoming {
        let mut report = Report::empty(site, 60);
        report.id = Some(ReportId([id; 16]));
        report.period = Some(Period { from: hour, to: hour + 3_600_000 });
        report.engagement.page_views = page_views;
        Incoming { id: ReportId([id; 16]), hour, received_hour: hour, report }
    }

    fn open() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("kpi.db")).unwrap();
        (dir, store)
    }

    #[test]
    fn merges_new_reports_and_skips_seen_ids() {
        let (_dir, store) = open();
        let batch = [incoming(1, "a", HOUR, 1), incoming(2, "a", HOUR, 2), incoming(1, "a", HOUR, 1)];
        assert_eq!(store.ingest(&batch).unwrap(), [Outcome::Stored, Outcome::Stored, Outcome::Duplicate]);
        let again = [incoming(2, "a", HOUR, 2), incoming(3, "a", HOUR + 3_600_000, 4), incoming(4, "b", HOUR, 8)];
        assert_eq!(store.ingest(&again).unwrap(), [Outcome::Duplicate, Outcome::Stored, Outcome::Stored]);
        let rollups = store.rollups("a", 60, HOUR, HOUR + 2 * 3_600_000).unwrap();
        let summary: Vec<(i64, i64, i64)> =
            rollups.iter().map(|r| (r.hour, r.reports, r.report.engagement.page_views)).collect();
        assert_eq!(summary, [(HOUR, 2, 3), (HOUR + 3_600_000, 1, 4)]);
        assert_eq!(rollups[0].report.id, None);
        assert!(store.rollups("a", 30, HOUR, HOUR + 3_600_000).unwrap().is_empty(), "other threshold");
        assert_eq!(store.rollups("a", 60, HOUR + 1, HOUR + 3_600_000).unwrap(), []);
    }

    #[test]
    fn forgets_old_ids_of_one_slice_only() {
        let (_dir, store) = open();
        let old = [incoming(1, "a", HOUR, 1), incoming(2, "a", HOUR, 1), incoming(255, "a", HOUR, 1)];
        store.ingest(&old).unwrap();
        store.ingest(&[incoming(0, "a", HOUR + 3_600_000, 1)]).unwrap();
        let next_hour = HOUR + 3_600_000;
        assert_eq!(store.forget_ids_before(next_hour, IdSlice(1)).unwrap(), 1);
        assert_eq!(store.forget_ids_before(next_hour, IdSlice(1)).unwrap(), 0);
        assert_eq!(store.forget_ids_before(next_hour, IdSlice(0)).unwrap(), 0, "received in the later hour");
        assert_eq!(store.forget_ids_before(next_hour, IdSlice(255)).unwrap(), 1, "the last slice");
        let again = [incoming(1, "a", HOUR, 1), incoming(2, "a", HOUR, 1), incoming(255, "a", HOUR, 1)];
        let outcomes = store.ingest(&again).unwrap();
        assert_eq!(outcomes, [Outcome::Stored, Outcome::Duplicate, Outcome::Stored]);
        assert_eq!(IdSlice(255).next(), IdSlice(0));
    }

    #[test]
    fn a_version_1_database_loses_its_hour_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kpi.db");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(
            "CREATE TABLE seen_ids (id BLOB PRIMARY KEY NOT NULL, received_hour INTEGER NOT NULL) WITHOUT ROWID;
             CREATE INDEX seen_ids_by_hour ON seen_ids (received_hour); PRAGMA user_version = 1;",
        )
        .unwrap();
        drop(old);
        let store = SqliteStore::open(&path).unwrap();
        let reader = lock(&store.reader);
        let indexes: i64 = reader
            .query_row("SELECT count(*) FROM sqlite_schema WHERE name = 'seen_ids_by_hour'", [], |row| row.get(0))
            .unwrap();
        let version: i64 = reader.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
        assert_eq!((indexes, version), (0, 2));
    }

    #[test]
    fn the_writer_never_checkpoints_and_the_checkpointer_does() {
        let (dir, store) = open();
        let wal = dir.path().join("kpi.db-wal");
        store.ingest(&[incoming(1, "a", HOUR, 1)]).unwrap();
        let frames: i64 = lock(&store.writer).query_row("PRAGMA wal_autocheckpoint", [], |row| row.get(0)).unwrap();
        assert_eq!(frames, 0);
        let checkpoints = Connection::open(dir.path().join("kpi.db")).unwrap();
        assert!(super::super::checkpoint::checkpoint(&checkpoints).unwrap() > 0, "the commit is in the WAL");
        assert!(wal.exists());
        let page_size: i64 = lock(&store.reader).query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap();
        assert_eq!(page_size, PAGE_SIZE);
    }

    #[test]
    fn survives_reopening_and_refuses_newer_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kpi.db");
        SqliteStore::open(&path).unwrap().ingest(&[incoming(1, "a", HOUR, 5)]).unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.ingest(&[incoming(1, "a", HOUR, 5)]).unwrap(), [Outcome::Duplicate]);
        assert_eq!(store.rollups("a", 60, HOUR, HOUR + 1).unwrap()[0].report.engagement.page_views, 5);
        drop(store);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 3).unwrap();
        let error = SqliteStore::open(&path).err().unwrap();
        assert!(error.0.ends_with("has schema version 3; this collector knows version 2"), "{error}");
    }
}
