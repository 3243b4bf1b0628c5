//! TLS to PostgreSQL: the default `prefer` encrypts without checking the
//! certificate (as libpq does); `require` with `sslrootcert` verifies it
//! against the test cluster's own CA; `verify-full` refuses a server whose
//! CA it does not know, before any query.

use super::stores::postgres_only;
use support_kpi_collector::store::Location;
use support_kpi_collector::store::postgres::PgStore;

fn open(url: &str) -> Result<PgStore, String> {
    let Ok(Location::Postgres(target)) = Location::parse(url) else { panic!("not a PostgreSQL URL: {url}") };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = PgStore::open(&target, 2).await.map_err(|e| e.to_string())?;
        let client = store.pool().get().await.map_err(|e| e.to_string())?;
        let row = client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await;
        assert!(row.map_err(|e| e.to_string())?.get::<_, bool>(0), "the session is not encrypted");
        drop(client);
        Ok(store)
    })
}

#[test]
fn sessions_are_encrypted_and_the_certificate_checked_as_sslmode_says() {
    let Some((_dir, db)) = postgres_only() else { return };
    let ca = std::env::var("SUPPORT_KPI_TEST_PG_CA")
        .expect("SUPPORT_KPI_TEST_PG_CA: the CA of the test server's certificate (scripts/postgres.sh sets it)");
    open(&db.db).unwrap();
    open(&format!("{}?sslmode=require&sslrootcert={ca}", db.db)).unwrap();
    let error = open(&format!("{}?sslmode=verify-full", db.db)).err().expect("a server of an unknown CA was trusted");
    assert!(error.contains("certificate"), "{error}");
}
