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
use super::totals::{Totals, decode_total};
use super::{IdSlice, Incoming, Outcome, Rollup, Store, StoreStatus};
use crate::error::Error;
use rusqlite::{
    Connection, ErrorCode, MAIN_DB, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

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
///
/// The file is the one that was opened: its device and inode are checked
/// before and after every commit (and by [`Store::check`]), so a file
/// removed or replaced under a running collector fails every later write
/// instead of committing into a file no restart will see again.
pub struct SqliteStore {
    path: PathBuf,
    file: FileId,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    _checkpointer: Checkpointer,
}

/// Which file a path names: device and inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    fn of(path: &Path) -> std::io::Result<FileId> {
        let metadata = std::fs::metadata(path)?;
        Ok(FileId { device: metadata.dev(), inode: metadata.ino() })
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::busy(error.to_string()),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::corrupt(error.to_string()),
            _ => Error::failed(error.to_string()),
        }
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and starts its
    /// checkpoint thread. Refuses, with a message naming the path and what to
    /// do, a file that is read-only, not a database, or fails SQLite's quick
    /// integrity check.
    pub fn open(path: &Path) -> Result<SqliteStore, Error> {
        let (writer, reader, checkpoints) = connect(path).map_err(|error| {
            let advice = match error.sqlite_error_code() {
                Some(ErrorCode::ReadOnly) => READ_ONLY,
                Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => DAMAGED,
                Some(ErrorCode::CannotOpen) => "check that its directory exists and is writable by this user",
                _ => "",
            };
            let cause = match error {
                Opening::Refused(reason) => reason,
                Opening::Sqlite(error) => error.to_string(),
            };
            let advice = if advice.is_empty() { String::new() } else { format!("; {advice}") };
            Error::failed(format!("database {}: {cause}{advice}", path.display()))
        })?;
        let file = FileId::of(path).map_err(|e| {
            Error::failed(format!("database {}: cannot be found after opening it ({e})", path.display()))
        })?;
        let checkpointer = Checkpointer::start(checkpoints).map_err(|e| {
            Error::failed(format!("database {}: cannot start the checkpoint thread ({e})", path.display()))
        })?;
        Ok(SqliteStore {
            path: path.to_owned(),
            file,
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            _checkpointer: checkpointer,
        })
    }

    /// `error` with the database's path in front.
    fn located(&self, error: Error) -> Error {
        error.reworded(|message| format!("database {}: {message}", self.path.display()))
    }
}

/// What to do about a database that cannot be written.
const READ_ONLY: &str = "make the file and its directory writable by this user (SQLite writes the -wal and -shm \
                         files beside it), or give --db a writable path";
/// What to do about a damaged database.
const DAMAGED: &str = "restore it from a backup, or move it away to start with an empty database";

/// Why a database could not be opened.
enum Opening {
    Sqlite(rusqlite::Error),
    Refused(String),
}

impl Opening {
    fn sqlite_error_code(&self) -> Option<ErrorCode> {
        match self {
            Opening::Sqlite(error) => error.sqlite_error_code(),
            Opening::Refused(_) => None,
        }
    }
}

impl From<rusqlite::Error> for Opening {
    fn from(error: rusqlite::Error) -> Self {
        Opening::Sqlite(error)
    }
}

/// The writer, reader and checkpoint connections of a checked database.
fn connect(path: &Path) -> Result<(Connection, Connection, Connection), Opening> {
    let writer = Connection::open(path)?;
    writer.busy_timeout(BUSY_TIMEOUT)?;
    if writer.is_readonly(MAIN_DB)? {
        return Err(Opening::Refused(format!("is read-only; {READ_ONLY}")));
    }
    let check: String = writer.query_row("PRAGMA quick_check(1)", [], |row| row.get(0))?;
    if check != "ok" {
        let check = check.replace('\n', " ");
        return Err(Opening::Refused(format!("fails SQLite's integrity check ({check}); {DAMAGED}")));
    }
    writer.pragma_update(None, "page_size", PAGE_SIZE)?;
    let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Opening::Refused(format!("cannot use WAL (journal mode {mode})")));
    }
    writer.pragma_update(None, "synchronous", "FULL")?;
    writer.pragma_update(None, "wal_autocheckpoint", 0)?;
    writer.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
    let version: i64 = writer.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(Opening::Refused(format!(
            "has schema version {version}; this collector knows version {SCHEMA_VERSION}"
        )));
    }
    writer.execute_batch(SCHEMA)?;
    let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    reader.busy_timeout(BUSY_TIMEOUT)?;
    let checkpoints = Connection::open(path)?;
    checkpoints.busy_timeout(BUSY_TIMEOUT)?;
    checkpoints.pragma_update(None, "synchronous", "FULL")?;
    Ok((writer, reader, checkpoints))
}

/// A connection, even if a thread panicked while holding it (its
/// transaction was rolled back when the panic dropped it).
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store for SqliteStore {
    fn ingest(&self, batch: &[Incoming]) -> Result<Vec<Outcome>, Error> {
        self.check()?;
        let committed = (|| {
            let mut connection = lock(&self.writer);
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcomes = merge_batch(&transaction, batch)?;
            transaction.commit()?;
            Ok(outcomes)
        })();
        let outcomes = committed.map_err(|e| self.located(e))?;
        // A commit into a file that is no longer at the path is not durable.
        self.check()?;
        Ok(outcomes)
    }

    fn rollups(&self, site: &str, service_level_seconds: u32, from: i64, to: i64) -> Result<Vec<Rollup>, Error> {
        let read = || -> Result<Vec<Rollup>, Error> {
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
                Ok(Rollup { hour, reports, report: decode_total(&text)? })
            })
            .collect()
        };
        read().map_err(|e| self.located(e))
    }

    fn forget_ids_before(&self, before: i64, slice: IdSlice) -> Result<usize, Error> {
        // Blobs compare bytewise, a prefix first: [s] <= every id starting with s < [s + 1].
        let from = [slice.0];
        let to = match slice.0.checked_add(1) {
            Some(next) => vec![next],
            None => vec![0xff; 17],
        };
        let connection = lock(&self.writer);
        let mut delete = connection
            .prepare_cached("DELETE FROM seen_ids WHERE id >= ?1 AND id < ?2 AND received_hour < ?3")
            .map_err(|e| self.located(e.into()))?;
        delete.execute(params![&from[..], &to[..], before]).map_err(|e| self.located(e.into()))
    }

    fn check(&self) -> Result<(), Error> {
        let problem = match FileId::of(&self.path) {
            Ok(file) if file == self.file => return Ok(()),
            Ok(_) => "was replaced",
            Err(_) => "was removed",
        };
        Err(self.located(Error::failed(format!(
            "the file {problem} while the collector ran, so nothing more is stored; put the database back \
             (or move the new file away) and restart the collector"
        ))))
    }

    fn status(&self) -> StoreStatus {
        StoreStatus { kind: "sqlite", schema_version: SCHEMA_VERSION, pool: None }
    }
}

/// Records the ids and merges each new report into its rollup (each rollup
/// read once and written once); a report that does not fit its rollup is
/// refused and its id forgotten again.
fn merge_batch(transaction: &Transaction, batch: &[Incoming]) -> Result<Vec<Outcome>, Error> {
    let mut remember =
        transaction.prepare_cached("INSERT OR IGNORE INTO seen_ids (id, received_hour) VALUES (?1, ?2)")?;
    let mut forget = transaction.prepare_cached("DELETE FROM seen_ids WHERE id = ?1")?;
    let mut load = transaction.prepare_cached(
        "SELECT reports, report FROM rollups WHERE site = ?1 AND service_level_seconds = ?2 AND hour = ?3",
    )?;
    let mut totals = Totals::default();
    let mut outcomes = Vec::with_capacity(batch.len());
    for incoming in batch {
        if remember.execute(params![&incoming.id.0[..], incoming.received_hour])? == 0 {
            outcomes.push(Outcome::Duplicate);
            continue;
        }
        let outcome = totals.add(incoming, |(site, threshold, hour)| {
            let stored = load
                .query_row(params![site, threshold, hour], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))
                .optional()?;
            stored.map(|(reports, text)| Ok(Rollup { hour, reports, report: decode_total(&text)? })).transpose()
        })?;
        if matches!(outcome, Outcome::Refused(_)) {
            forget.execute(params![&incoming.id.0[..]])?;
        }
        outcomes.push(outcome);
    }
    let mut save = transaction.prepare_cached(
        "INSERT INTO rollups (site, service_level_seconds, hour, reports, report) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site, service_level_seconds, hour) DO UPDATE SET reports = excluded.reports, report = excluded.report",
    )?;
    for ((site, threshold, hour), rollup) in totals.into_changed() {
        save.execute(params![site, threshold, hour, rollup.reports, rollup.report.encode()])?;
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Cause;
    use support_kpi::{Period, Report, ReportId};

    const HOUR: i64 = 1_795_392_000_000;

    fn incoming(id: u8, site: &str, hour: i64, page_views: i64) -> Incoming {
        let mut report = Report::empty(site, 60);
        report.set_id(Some(ReportId([id; 16])));
        report.cover(Period { from: hour, to: hour + 3_600_000 });
        report.families_mut().engagement.page_views = page_views;
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
            rollups.iter().map(|r| (r.hour, r.reports, r.report.base().page_views)).collect();
        assert_eq!(summary, [(HOUR, 2, 3), (HOUR + 3_600_000, 1, 4)]);
        assert_eq!(rollups[0].report.id(), None);
        assert!(store.rollups("a", 30, HOUR, HOUR + 3_600_000).unwrap().is_empty(), "other threshold");
        assert_eq!(store.rollups("a", 60, HOUR + 1, HOUR + 3_600_000).unwrap(), []);
    }

    #[test]
    fn a_report_that_would_break_its_rollup_is_refused_alone() {
        let (_dir, store) = open();
        store.ingest(&[incoming(1, "a", HOUR, support_kpi::MAX_COUNT)]).unwrap();
        let next = HOUR + 3_600_000;
        let batch = [incoming(2, "a", HOUR, 1), incoming(3, "b", HOUR, 4), incoming(4, "a", next, 2)];
        let outcomes = store.ingest(&batch).unwrap();
        let Outcome::Refused(error) = &outcomes[0] else { panic!("{outcomes:?}") };
        assert_eq!(error.message(), "engagement: would take a number of the total past 2^53-1");
        assert_eq!(outcomes[1..], [Outcome::Stored, Outcome::Stored], "the rest of the batch is stored");
        let views = |site, hour| store.rollups(site, 60, hour, hour + 1).unwrap()[0].report.base().page_views;
        assert_eq!((views("a", HOUR), views("b", HOUR), views("a", next)), (support_kpi::MAX_COUNT, 4, 2));
        assert_eq!(store.ingest(&[incoming(2, "a", next, 1)]).unwrap(), [Outcome::Stored], "its id was not kept");
    }

    #[test]
    fn an_hour_stored_with_too_many_names_reads_and_takes_reports_again() {
        let (dir, store) = open();
        let mut legacy = Report::empty("a", 60);
        legacy.cover(Period { from: HOUR, to: HOUR + 3_600_000 });
        for n in 0..80 {
            legacy.families_mut().contribution.goals.add(&format!("goal-{n}"), &[1, 0, 0, 0]);
        }
        // What a collector without the room check could store (finding 1 of issue 11).
        Connection::open(dir.path().join("kpi.db"))
            .unwrap()
            .execute("INSERT INTO rollups VALUES ('a', 60, ?1, 2, ?2)", params![HOUR, legacy.encode()])
            .unwrap();
        assert_eq!(store.rollups("a", 60, HOUR, HOUR + 1).unwrap()[0].report, legacy);
        let mut known = incoming(1, "a", HOUR, 1);
        known.report.families_mut().contribution.goals.add("goal-3", &[1, 0, 0, 0]);
        let mut new = incoming(2, "a", HOUR, 1);
        new.report.families_mut().contribution.goals.add("goal-80", &[1, 0, 0, 0]);
        let outcomes = store.ingest(&[known, new]).unwrap();
        assert_eq!(outcomes[0], Outcome::Stored);
        assert!(matches!(&outcomes[1], Outcome::Refused(e) if e.field() == "goals"), "{outcomes:?}");
        let rollup = &store.rollups("a", 60, HOUR, HOUR + 1).unwrap()[0];
        assert_eq!((rollup.reports, rollup.report.families().contribution.goals.get("goal-3")[0]), (3, 2));
    }

    #[test]
    fn a_removed_file_fails_every_write_naming_it() {
        let (dir, store) = open();
        store.ingest(&[incoming(1, "a", HOUR, 1)]).unwrap();
        assert_eq!(store.check(), Ok(()));
        std::fs::remove_file(dir.path().join("kpi.db")).unwrap();
        let error = store.ingest(&[incoming(2, "a", HOUR, 1)]).unwrap_err();
        assert!(
            error
                .message()
                .starts_with(&format!("database {}: the file was removed", dir.path().join("kpi.db").display()))
        );
        assert_eq!(store.check(), Err(error));
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

    /// How many ids the database file at `path` holds by itself, its WAL
    /// left behind (read from a copy); `None` while it has no `seen_ids` yet.
    fn ids_in_file(path: &Path) -> Option<i64> {
        let copy = tempfile::tempdir().unwrap();
        std::fs::copy(path, copy.path().join("kpi.db")).ok()?;
        let file = Connection::open(copy.path().join("kpi.db")).ok()?;
        file.query_row("SELECT count(*) FROM seen_ids", [], |row| row.get(0)).ok()
    }

    /// A commit goes to the WAL only; while the store stays open (no last
    /// checkpoint on closing), only the checkpoint thread copies it into
    /// the database file, within a few of its intervals.
    #[test]
    fn the_writer_never_checkpoints_and_the_checkpointer_does() {
        let (dir, store) = open();
        store.ingest(&[incoming(1, "a", HOUR, 1)]).unwrap();
        let frames: i64 = lock(&store.writer).query_row("PRAGMA wal_autocheckpoint", [], |row| row.get(0)).unwrap();
        assert_eq!(frames, 0);
        let deadline = std::time::Instant::now() + 10 * super::super::checkpoint::INTERVAL;
        while ids_in_file(&dir.path().join("kpi.db")) != Some(1) {
            assert!(std::time::Instant::now() < deadline, "no checkpoint copied the commit into the database file");
            std::thread::sleep(Duration::from_millis(50));
        }
        let page_size: i64 = lock(&store.reader).query_row("PRAGMA page_size", [], |row| row.get(0)).unwrap();
        assert_eq!(page_size, PAGE_SIZE);
    }

    /// What lets a 202 survive a power loss: WAL, and `synchronous = FULL`
    /// on the writer (the WAL is synced at every commit) and on the
    /// checkpointer (the database file is synced before the WAL starts over).
    #[test]
    fn commits_and_checkpoints_are_synced_to_disk() {
        let dir = tempfile::tempdir().unwrap();
        let Ok((writer, _reader, checkpoints)) = connect(&dir.path().join("kpi.db")) else { panic!("not opened") };
        for (name, connection) in [("writer", &writer), ("checkpointer", &checkpoints)] {
            let mode: String = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
            let synchronous: i64 = connection.query_row("PRAGMA synchronous", [], |row| row.get(0)).unwrap();
            assert_eq!((mode.as_str(), synchronous), ("wal", 2), "{name}: journal mode and synchronous (2 is FULL)");
        }
    }

    #[test]
    fn survives_reopening_and_refuses_newer_schemas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kpi.db");
        SqliteStore::open(&path).unwrap().ingest(&[incoming(1, "a", HOUR, 5)]).unwrap();
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.ingest(&[incoming(1, "a", HOUR, 5)]).unwrap(), [Outcome::Duplicate]);
        assert_eq!(store.rollups("a", 60, HOUR, HOUR + 1).unwrap()[0].report.base().page_views, 5);
        drop(store);
        Connection::open(&path).unwrap().pragma_update(None, "user_version", 3).unwrap();
        let error = SqliteStore::open(&path).err().unwrap();
        assert_eq!(
            error.message(),
            format!("database {}: has schema version 3; this collector knows version 2", path.display())
        );
    }

    #[test]
    fn a_locked_database_is_busy_and_a_damaged_one_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock.db");
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);").unwrap();
        let other = Connection::open(&path).unwrap();
        let locked = other.execute("INSERT INTO t VALUES (2)", []).unwrap_err();
        assert_eq!(Error::from(locked).cause(), Cause::Busy);
        let damaged = dir.path().join("damaged.db");
        std::fs::write(&damaged, vec![7u8; 4096]).unwrap();
        let unreadable = Connection::open(&damaged).unwrap().execute_batch("SELECT * FROM sqlite_master").unwrap_err();
        assert_eq!(Error::from(unreadable).cause(), Cause::Corrupt);
    }
}
