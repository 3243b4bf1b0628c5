//! `migrate-store`: a SQLite database copied into PostgreSQL equals its
//! source, a second run changes nothing, and a target holding other counts
//! is refused without a change. Schema migrations run once when instances
//! start together.

use super::stores::{postgres_only, query_text};
use std::process::{Command, Output};
use support_kpi::time::HOUR_MS;
use support_kpi::{Period, Report, ReportId};
use support_kpi_collector::store::postgres::PgStore;
use support_kpi_collector::store::sqlite::SqliteStore;
use support_kpi_collector::store::{Incoming, Location, Outcome, Rollup, Store};

const HOUR: i64 = 1_795_392_000_000;
/// (site, threshold) of the source's rollups.
const SERIES: [(&str, u32); 3] = [("acme", 60), ("acme", 30), ("ams", 60)];

fn incoming(id: u32, site: &str, threshold: u32, hour: i64) -> Incoming {
    let mut report = Report::empty(site, threshold);
    report.set_id(Some(ReportId(u128::from(id).to_be_bytes())));
    report.cover(Period { from: hour, to: hour + HOUR_MS });
    let engagement = report.families_mut().engagement;
    engagement.page_views = i64::from(id % 7) + 1;
    engagement.support_page_views = i64::from(id % 3);
    Incoming { id: report.id().unwrap(), hour, received_hour: hour, report }
}

/// 600 reports over three series and 30 hours, plus a retried one.
fn source_batch() -> Vec<Incoming> {
    let mut batch: Vec<Incoming> = (0..600)
        .map(|id| {
            let (site, threshold) = SERIES[id as usize % SERIES.len()];
            incoming(id, site, threshold, HOUR + i64::from(id / 3 % 30) * HOUR_MS)
        })
        .collect();
    batch.push(batch[5].clone());
    batch
}

fn every_rollup(store: &dyn Store) -> Vec<Rollup> {
    SERIES
        .iter()
        .flat_map(|&(site, threshold)| store.rollups(site, threshold, HOUR, HOUR + 31 * HOUR_MS).unwrap())
        .collect()
}

fn migrate(from: &std::path::Path, to: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_support-kpi-collector"))
        .args(["migrate-store", "--from", from.to_str().unwrap(), "--to", to])
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_sqlite_database_is_copied_exactly_and_idempotently() {
    let Some((dir, target)) = postgres_only() else { return };
    let file = dir.path().join("source.db");
    let sqlite = SqliteStore::open(&file).unwrap();
    let batch = source_batch();
    sqlite.ingest(&batch).unwrap();
    let source = every_rollup(&sqlite);
    assert_eq!(source.len(), 90);

    let first = stdout(&migrate(&file, &target.db));
    assert!(first.starts_with("copied 90 of 90 rollups and 600 of 600 report ids into "), "{first}");
    let second = stdout(&migrate(&file, &target.db));
    assert!(second.starts_with("copied 0 of 90 rollups and 0 of 600 report ids into "), "{second}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let Ok(Location::Postgres(url)) = Location::parse(&target.db) else { panic!("not a PostgreSQL URL") };
    let postgres = runtime.block_on(PgStore::open(&url, 2)).unwrap();
    assert_eq!(every_rollup(&postgres), source);
    // Every id came along: the same reports again are all duplicates.
    assert!(postgres.ingest(&batch).unwrap().iter().all(|outcome| *outcome == Outcome::Duplicate));

    // A target that counted something else since is refused, and left as it was.
    let extra = incoming(1_000, "acme", 60, HOUR);
    assert_eq!(postgres.ingest(std::slice::from_ref(&extra)).unwrap(), [Outcome::Stored]);
    let changed = every_rollup(&postgres);
    let refused = migrate(&file, &target.db);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!(
            "already holds the rollup of site \"acme\" (threshold 60 s, hour {HOUR}) with other counts"
        )),
        "{stderr}"
    );
    assert_eq!(every_rollup(&postgres), changed);
}

#[test]
fn instances_starting_together_migrate_the_schema_once() {
    let Some((_dir, db)) = postgres_only() else { return };
    let Ok(Location::Postgres(target)) = Location::parse(&db.db) else { panic!("not a PostgreSQL URL") };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let starts: Vec<_> = (0..6)
            .map(|_| {
                let target = target.clone();
                tokio::spawn(async move { PgStore::open(&target, 2).await.map(|_| ()) })
            })
            .collect();
        for start in starts {
            start.await.unwrap().unwrap();
        }
    });
    let versions = query_text(&db.db, "SELECT count(*) || ' ' || max(version) FROM support_kpi_schema");
    assert_eq!(versions, "1 1", "(migrations recorded, version)");
}
