//! The PostgreSQL schema and its versioned migrations.
//!
//! Each migration runs once, in order; `support_kpi_schema` records which
//! ones have. They are applied at start in one transaction that first takes
//! a transaction-level advisory lock, so when several instances start at
//! once one migrates and the others wait, then find nothing left to do.
//! A database migrated by a newer collector (a version this one does not
//! know) is refused rather than written in a format it may not match.

use deadpool_postgres::Client;

/// The advisory lock key of migrations ("supportk" in ASCII).
const MIGRATION_LOCK: i64 = 0x7375_7070_6f72_746b;

/// The migrations, version `i + 1` at index `i`.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE seen_ids (
        id bytea PRIMARY KEY,
        received_hour bigint NOT NULL
    );
    CREATE TABLE rollups (
        site text NOT NULL,
        service_level_seconds bigint NOT NULL,
        hour bigint NOT NULL,
        reports bigint NOT NULL,
        report text NOT NULL,
        PRIMARY KEY (site, service_level_seconds, hour)
    );
"];

/// The schema version this collector writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the schema to [`SCHEMA_VERSION`]; returns the version found before.
pub async fn migrate(client: &mut Client) -> Result<i64, String> {
    let failed = |e: tokio_postgres::Error| format!("database: cannot migrate the schema ({})", super::describe(&e));
    let transaction = client.transaction().await.map_err(failed)?;
    transaction.execute("SELECT pg_advisory_xact_lock($1::bigint)", &[&MIGRATION_LOCK]).await.map_err(failed)?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS support_kpi_schema (
                version bigint PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )",
        )
        .await
        .map_err(failed)?;
    let row =
        transaction.query_one("SELECT coalesce(max(version), 0) FROM support_kpi_schema", &[]).await.map_err(failed)?;
    let found: i64 = row.get(0);
    if found > SCHEMA_VERSION {
        return Err(format!(
            "database: the schema has version {found}; this collector knows version {SCHEMA_VERSION} (upgrade it)"
        ));
    }
    for (version, migration) in (1_i64..).zip(MIGRATIONS).skip(usize::try_from(found).unwrap_or(0)) {
        transaction.batch_execute(migration).await.map_err(failed)?;
        transaction
            .execute("INSERT INTO support_kpi_schema (version) VALUES ($1)", &[&version])
            .await
            .map_err(failed)?;
    }
    transaction.commit().await.map_err(failed)?;
    Ok(found)
}
