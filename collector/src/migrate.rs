//! `migrate-store`: a SQLite database copied into PostgreSQL, exactly and
//! idempotently.
//!
//! The SQLite file is read in one read transaction (a consistent snapshot,
//! even while a collector still writes it) and written into PostgreSQL in
//! one transaction, in chunks: every rollup with its count and merged report
//! text as stored, and every retained report id with its hour of receipt.
//! What the target already holds identically is left alone, so a second
//! run changes nothing; a rollup the target holds with other contents stops
//! the copy before anything is committed (merging the two would count the
//! reports of one of them twice on the next run).

use crate::args::MigrateStoreArgs;
use crate::store::Location;
use crate::store::postgres::PgStore;
use crate::store::postgres::connect::PgTarget;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::process::ExitCode;

/// Rows sent to PostgreSQL per statement.
const CHUNK: usize = 5_000;

/// A chunk of rollup rows, column by column (as `unnest` takes them).
#[derive(Default)]
struct Columns {
    site: Vec<String>,
    threshold: Vec<i64>,
    hour: Vec<i64>,
    reports: Vec<i64>,
    report: Vec<String>,
}

/// What a copy did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rollups in the source.
    pub rollups: u64,
    /// Of them, those the target did not hold yet.
    pub new_rollups: u64,
    /// Report ids in the source.
    pub ids: u64,
    /// Of them, those the target did not hold yet.
    pub new_ids: u64,
}

/// Runs `migrate-store`: 0 when the target holds everything of the source.
pub fn run(args: &MigrateStoreArgs) -> ExitCode {
    let Location::Postgres(target) = &args.to else {
        eprintln!("support-kpi-collector migrate-store: --to must be a postgres:// URL");
        return ExitCode::FAILURE;
    };
    let copied = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(copy(&args.from, target)));
    match copied {
        Ok(copied) => {
            println!(
                "copied {} of {} rollups and {} of {} report ids into {target} (the rest were there already)",
                copied.new_rollups, copied.rollups, copied.new_ids, copied.ids
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("support-kpi-collector migrate-store: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the SQLite database `from` into `to` (see the module doc).
pub async fn copy(from: &Path, to: &PgTarget) -> Result<Copied, String> {
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| format!("{}: cannot open ({e})", from.display()))?;
    let sqlite = |e: rusqlite::Error| format!("{}: {e}", from.display());
    source.execute_batch("BEGIN").map_err(sqlite)?;
    let store = PgStore::open(to, 2).await.map_err(|e| e.to_string())?;
    let postgres = |e: tokio_postgres::Error| format!("{to}: {}", crate::error::Error::from(e));
    let mut client = store.pool().get().await.map_err(|e| format!("{to}: {}", crate::error::Error::from(e)))?;
    let transaction = client.transaction().await.map_err(postgres)?;
    let mut copied = Copied::default();

    let insert_ids = transaction
        .prepare(
            "INSERT INTO seen_ids (id, received_hour) SELECT * FROM unnest($1::bytea[], $2::bigint[])
             ON CONFLICT DO NOTHING",
        )
        .await
        .map_err(postgres)?;
    let mut select = source.prepare("SELECT id, received_hour FROM seen_ids").map_err(sqlite)?;
    let mut rows = select.query([]).map_err(sqlite)?;
    let (mut ids, mut hours): (Vec<Vec<u8>>, Vec<i64>) = (Vec::new(), Vec::new());
    loop {
        let row = rows.next().map_err(sqlite)?;
        if let Some(row) = row {
            ids.push(row.get(0).map_err(sqlite)?);
            hours.push(row.get(1).map_err(sqlite)?);
        }
        if ids.len() == CHUNK || (row.is_none() && !ids.is_empty()) {
            copied.ids += ids.len() as u64;
            copied.new_ids += transaction.execute(&insert_ids, &[&ids, &hours]).await.map_err(postgres)?;
            ids.clear();
            hours.clear();
        }
        if row.is_none() {
            break;
        }
    }
    drop(rows);

    let insert_rollups = transaction
        .prepare(
            "INSERT INTO rollups (site, service_level_seconds, hour, reports, report)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[])
             ON CONFLICT DO NOTHING",
        )
        .await
        .map_err(postgres)?;
    let differing = transaction
        .prepare(
            "SELECT u.s, u.t, u.h FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[])
               AS u (s, t, h, n, report)
             JOIN rollups r ON r.site = u.s AND r.service_level_seconds = u.t AND r.hour = u.h
             WHERE r.reports <> u.n OR r.report <> u.report LIMIT 1",
        )
        .await
        .map_err(postgres)?;
    let mut select =
        source.prepare("SELECT site, service_level_seconds, hour, reports, report FROM rollups").map_err(sqlite)?;
    let mut rows = select.query([]).map_err(sqlite)?;
    let mut chunk = Columns::default();
    loop {
        let row = rows.next().map_err(sqlite)?;
        if let Some(row) = row {
            chunk.site.push(row.get(0).map_err(sqlite)?);
            chunk.threshold.push(row.get(1).map_err(sqlite)?);
            chunk.hour.push(row.get(2).map_err(sqlite)?);
            chunk.reports.push(row.get(3).map_err(sqlite)?);
            chunk.report.push(row.get(4).map_err(sqlite)?);
        }
        if chunk.site.len() == CHUNK || (row.is_none() && !chunk.site.is_empty()) {
            let parameters: [&(dyn tokio_postgres::types::ToSql + Sync); 5] =
                [&chunk.site, &chunk.threshold, &chunk.hour, &chunk.reports, &chunk.report];
            copied.rollups += chunk.site.len() as u64;
            copied.new_rollups += transaction.execute(&insert_rollups, &parameters).await.map_err(postgres)?;
            if let Some(row) = transaction.query_opt(&differing, &parameters).await.map_err(postgres)? {
                let (site, threshold, hour): (&str, i64, i64) = (row.get(0), row.get(1), row.get(2));
                return Err(format!(
                    "{to} already holds the rollup of site \"{site}\" (threshold {threshold} s, hour {hour}) with other \
                     counts; nothing was copied (copy into an empty database, or one this file was copied into)"
                ));
            }
            chunk = Default::default();
        }
        if row.is_none() {
            break;
        }
    }
    transaction.commit().await.map_err(postgres)?;
    Ok(copied)
}
