//! Where reports go: a [`Store`] keeps the ids of reports seen (for
//! de-duplication) and one merged report per site, threshold and hour.
//!
//! The HTTP layer only sees this trait. [`sqlite::SqliteStore`] (one
//! process, the default) and [`postgres::PgStore`] (any number of instances
//! on one server) implement it; [`Location`] picks one from `--db`.

mod checkpoint;
mod location;
pub mod postgres;
pub mod sqlite;
pub mod totals;

pub use location::Location;

use crate::error::Error;
use support_kpi::{Report, ReportId};

/// A validated report on its way into the store.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// The report's id, for de-duplication.
    pub id: ReportId,
    /// UTC hour (ms) whose rollup the report is merged into.
    pub hour: i64,
    /// UTC hour (ms) of receipt: when its id may be forgotten.
    pub received_hour: i64,
    /// The report.
    pub report: Report,
}

/// What became of one incoming report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Counted and committed.
    Stored,
    /// Its id was seen before (or earlier in the same batch): not counted again.
    Duplicate,
    /// Not counted, and its id not kept: merging it would give its rollup a
    /// total that does not decode (see [`support_kpi::Report::check_room_for`]);
    /// the error names the member. The rest of the batch is stored.
    Refused(support_kpi::Error),
}

/// The merged reports of one site and threshold in one UTC hour.
#[derive(Clone, Debug, PartialEq)]
pub struct Rollup {
    /// Start of the hour, ms since the epoch.
    pub hour: i64,
    /// How many reports were merged into it.
    pub reports: i64,
    /// The merged report (no id).
    pub report: Report,
}

/// One 256th of the report ids: those whose first byte is this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdSlice(pub u8);

impl IdSlice {
    /// The slice after this one, wrapping around after the last.
    pub fn next(self) -> IdSlice {
        IdSlice(self.0.wrapping_add(1))
    }
}

/// Durable storage of report ids and hourly rollups.
pub trait Store: Send + Sync {
    /// Counts the batch's new reports into their rollups and records their
    /// ids, all in one durable transaction: when this returns `Ok`, every
    /// `Stored` report is committed; on `Err` nothing of the batch is.
    /// Returns one outcome per report, in order. A report that would break
    /// its rollup's total is `Refused` alone ([`totals::Totals`] does the
    /// merging for every store); an `Err` means the storage itself failed.
    fn ingest(&self, batch: &[Incoming]) -> Result<Vec<Outcome>, Error>;

    /// The rollups of `site` counted with `service_level_seconds` whose hour
    /// lies in `from..to` (ms), in hour order.
    fn rollups(&self, site: &str, service_level_seconds: u32, from: i64, to: i64) -> Result<Vec<Rollup>, Error>;

    /// Forgets the ids in `slice` of reports received before hour `before`
    /// (ms); returns how many. Ids are forgotten one slice at a time so that
    /// no step of this housekeeping holds up the writer for long.
    fn forget_ids_before(&self, before: i64, slice: IdSlice) -> Result<usize, Error>;

    /// Which store this is, its schema version and its connection pool.
    fn status(&self) -> StoreStatus;

    /// Fails when the storage cannot keep what it acknowledges now (SQLite:
    /// its file was removed or replaced; PostgreSQL: the server does not
    /// answer). Asked by `/healthz`; cheap.
    fn check(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Whether a storage failure lasts until the collector is restarted (the
    /// default: a store that failed a write may have lost what it was
    /// writing) or only while [`Store::check`] and writes keep failing (a
    /// database server that can answer again).
    fn failure_lasts(&self) -> bool {
        true
    }
}

/// What `/healthz` and `/metrics` tell about the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreStatus {
    /// `sqlite` or `postgresql`.
    pub kind: &'static str,
    /// The version of the schema in use.
    pub schema_version: i64,
    /// The connection pool, for a store with one.
    pub pool: Option<PoolUse>,
}

/// Connections of a pool, now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    /// Most connections it opens.
    pub max: usize,
    /// Connections open.
    pub open: usize,
    /// Open connections not in use.
    pub idle: usize,
    /// Callers waiting for a connection.
    pub waiting: usize,
}
