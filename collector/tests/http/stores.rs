//! The stores every test runs on: SQLite in a temporary file, and a fresh
//! database on the PostgreSQL server named by `SUPPORT_KPI_TEST_PG`
//! (`postgres://USER:PASSWORD@HOST:PORT/DB`; `scripts/postgres.sh` starts
//! one). Without that variable the PostgreSQL runs are skipped with a
//! message, except under `CI=true`, where they fail.

use std::io::Write;
use std::path::Path;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Defines each test once per store: `fn name(store) { … }` becomes the
/// module `name` with the tests `sqlite` and `postgres`, `store` being the
/// [`Kind`]. Test bodies stay at the file's indentation inside it (rustfmt
/// leaves macro bodies alone), so they read as the plain tests they were.
macro_rules! each_store {
    ($($(#[$meta:meta])* fn $name:ident($store:ident) $body:block)*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let $store = $crate::stores::Kind::Sqlite;
                $body
            }

            #[test]
            fn postgres() {
                if let Some($store) = $crate::stores::Kind::postgres() {
                    $body
                }
            }
        }
    )*};
}

/// Which store a test's collector uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A database of its own on the test PostgreSQL server.
    Postgres,
}

impl Kind {
    /// `Some(Postgres)` when a test server is configured (see the module doc).
    pub fn postgres() -> Option<Kind> {
        server_url().map(|_| Kind::Postgres)
    }
}

/// `SUPPORT_KPI_TEST_PG`; `None` (after a loud message) when unset outside CI.
pub fn server_url() -> Option<String> {
    match std::env::var("SUPPORT_KPI_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("CI=true but SUPPORT_KPI_TEST_PG is not set: run the tests under scripts/postgres.sh")
        }
        _ => {
            // Straight to stderr, past the test harness's capture, once per run.
            static WARNED: Once = Once::new();
            WARNED.call_once(|| {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n*** The PostgreSQL runs are SKIPPED: SUPPORT_KPI_TEST_PG is not set \
                     (run `bash scripts/postgres.sh cargo test -p support-kpi-collector`) ***\n"
                );
            });
            None
        }
    }
}

/// A fresh, empty store for one collector (or several sharing it); a
/// PostgreSQL database is dropped with it.
pub struct TestDb {
    /// The `--db` value.
    pub db: String,
    postgres: Option<(String, String)>,
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// A store of `kind`; a SQLite file goes into `dir`.
    pub fn new(kind: Kind, dir: &Path) -> TestDb {
        match kind {
            Kind::Sqlite => TestDb { db: dir.join("kpi.db").to_str().unwrap().to_owned(), postgres: None },
            Kind::Postgres => {
                let server = server_url().expect("a PostgreSQL test server");
                let name =
                    format!("support_kpi_test_{}_{}", std::process::id(), DATABASES.fetch_add(1, Ordering::SeqCst));
                admin(&server, &format!("CREATE DATABASE {name}"));
                let (base, _) = server.rsplit_once('/').expect("SUPPORT_KPI_TEST_PG names a database");
                TestDb { db: format!("{base}/{name}"), postgres: Some((server, name)) }
            }
        }
    }

    /// Everything the store holds, as bytes: the SQLite files in `dir`, or
    /// every row of the PostgreSQL database as text.
    pub fn contents(&self, dir: &Path) -> Vec<u8> {
        match &self.postgres {
            None => std::fs::read_dir(dir)
                .unwrap()
                .flat_map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
                .collect(),
            Some(_) => query_text(
                &self.db,
                "SELECT coalesce(string_agg(r::text, E'\\n'), '') FROM (
                   SELECT row_to_json(t)::text AS r FROM rollups t
                   UNION ALL SELECT row_to_json(s)::text FROM seen_ids s) AS rows",
            )
            .into_bytes(),
        }
    }
}

impl TestDb {
    /// Drops a PostgreSQL database now, its sessions with it (as a server going away would end them).
    pub fn remove(&self) {
        if let Some((server, name)) = &self.postgres {
            admin(server, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

impl TestDb {
    /// Stops (`false`) or lets again (`true`) sessions on a PostgreSQL
    /// database; stopping ends its open sessions too, waiting until they are
    /// gone (an outage of the database that the collector outlives).
    pub fn allow_connections(&self, allowed: bool) {
        if let Some((server, name)) = &self.postgres {
            admin(server, &format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {allowed}"));
            if !allowed {
                let end =
                    format!("SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = '{name}'");
                admin(server, &end);
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        self.remove();
    }
}

/// For a test of PostgreSQL alone: a temporary directory and a fresh
/// database, or `None` when no server is configured (see the module doc).
pub fn postgres_only() -> Option<(tempfile::TempDir, TestDb)> {
    Kind::postgres()?;
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(Kind::Postgres, dir.path());
    Some((dir, db))
}

/// Runs `sql` on the database at `url`.
pub fn admin(url: &str, sql: &str) {
    with_client(url, |client| async move { client.batch_execute(sql).await.unwrap() });
}

/// The first column of the first row of `sql` on `url`, as text.
pub fn query_text(url: &str, sql: &str) -> String {
    with_client(url, |client| async move { client.query_one(sql, &[]).await.unwrap().get::<_, String>(0) })
}

fn with_client<T, F: Future<Output = T>>(url: &str, run: impl FnOnce(tokio_postgres::Client) -> F) -> T {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.unwrap();
        let task = tokio::spawn(connection);
        let result = run(client).await;
        let _ = task.await;
        result
    })
}

/// The `/healthz` answer of a collector on `kind`.
pub fn health(kind: Kind) -> String {
    match kind {
        Kind::Sqlite => String::from("ok\nstore: sqlite, schema version 2\n"),
        Kind::Postgres => String::from("ok\nstore: postgresql, schema version 1\n"),
    }
}
