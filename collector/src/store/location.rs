//! Where the store lives: a SQLite file path, or a PostgreSQL URL
//! (`postgres://` or `postgresql://`) completed by the `PG*` environment
//! variables for the parts it leaves out.

use super::Store;
use super::postgres::PgStore;
use super::postgres::connect::{PgTarget, parse_url};
use super::sqlite::SqliteStore;
use crate::error::Error;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The `--db` value, parsed.
#[derive(Clone, Debug)]
pub enum Location {
    /// A SQLite database file.
    Sqlite(PathBuf),
    /// A PostgreSQL database.
    Postgres(Box<PgTarget>),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL, or else a file path; the URL's
    /// missing parts are taken from `env` (the `PG*` variables).
    pub fn parse_with(text: &str, env: impl Fn(&str) -> Option<String>) -> Result<Location, String> {
        if let Some((scheme, rest)) = text.split_once("://")
            && (scheme.eq_ignore_ascii_case("postgres") || scheme.eq_ignore_ascii_case("postgresql"))
        {
            return parse_url(&format!("postgresql://{rest}"), env).map(|target| Location::Postgres(Box::new(target)));
        }
        if text.is_empty() {
            return Err(String::from("must be a file path or a postgres:// URL"));
        }
        Ok(Location::Sqlite(PathBuf::from(text)))
    }

    /// [`Location::parse_with`] on the process's environment (a clap value parser).
    pub fn parse(text: &str) -> Result<Location, String> {
        Location::parse_with(text, |name| std::env::var(name).ok())
    }

    /// Opens the store (migrating its schema); a PostgreSQL pool holds at
    /// most `pool_size` connections. Must run on the server's Tokio runtime.
    pub async fn open(&self, pool_size: usize) -> Result<Arc<dyn Store>, Error> {
        Ok(match self {
            Location::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
            Location::Postgres(target) => Arc::new(PgStore::open(target, pool_size).await?),
        })
    }
}

/// The location without any password.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "SQLite {}", path.display()),
            Location::Postgres(target) => write!(f, "PostgreSQL {target}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn a_path_is_sqlite_and_a_url_is_postgres() {
        assert!(
            matches!(Location::parse_with("kpi.db", no_env), Ok(Location::Sqlite(p)) if p == std::path::Path::new("kpi.db"))
        );
        let url = "postgresql://kpi:secret@db.example:5433/kpis";
        let Ok(Location::Postgres(target)) = Location::parse_with(url, no_env) else { panic!("not postgres") };
        assert_eq!(target.to_string(), "kpi@db.example:5433/kpis");
        assert!(Location::parse_with("POSTGRES://kpi@h/d", no_env).is_ok());
        assert!(Location::parse_with("", no_env).is_err());
    }
}
