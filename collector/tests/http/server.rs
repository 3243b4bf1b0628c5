//! The collector started in-process on 127.0.0.1 with a fresh store of the test's kind.

use super::client::{self, Response};
use super::stores::{Kind, TestDb};
use clap::Parser;
use std::net::SocketAddr;
use std::path::Path;
use support_kpi::time::{HOUR_MS, floor_hour};
use support_kpi::{Period, Report, ReportId};
use support_kpi_collector::args::{Cli, Command};
use support_kpi_collector::config::Settings;
use support_kpi_collector::time::now_ms;
use tokio::sync::oneshot;

/// The read token of every test server.
pub const TOKEN: &str = "test-read-token-0123456789";
/// The origin allowed for site `acme`.
pub const ACME: &str = "https://help.acme.example";
/// The origin allowed for site `ams`.
pub const AMS: &str = "https://ams.example";
/// The origin allowed for site `private`.
pub const PRIVATE: &str = "https://private.example";

/// The sites of every test server: `acme` (UTC), `ams` (Amsterdam), `open`
/// (any origin, 30 s), `private` (noised reports with ε = 2; goals `buy` and
/// `trial` only).
const SITES: &str = r#"[
  {"key":"acme","origins":["https://help.acme.example"]},
  {"key":"ams","origins":["https://ams.example"],"timeZone":"Europe/Amsterdam"},
  {"key":"open","origins":["*"],"serviceLevelSeconds":30},
  {"key":"private","origins":["https://private.example"],"dpEpsilon":2,"goals":["buy","trial"]}
]"#;

/// A running collector; stops (gracefully) when dropped.
pub struct Server {
    pub addr: SocketAddr,
    _db: TestDb,
    _dir: tempfile::TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts a collector on a fresh `store` with the test sites and token, plus `extra` flags.
    pub fn start(store: Kind, extra: &[&str]) -> Server {
        Server::with_sites(store, SITES, extra)
    }

    /// Starts a collector on a fresh `store` with the sites file `sites` and the test token, plus `extra` flags.
    pub fn with_sites(store: Kind, sites_json: &str, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let sites = dir.path().join("sites.json");
        std::fs::write(&sites, sites_json).unwrap();
        let db = TestDb::new(store, dir.path());
        let mut args = vec!["support-kpi-collector", "serve", "--read-token", TOKEN];
        args.extend(["--sites", path(&sites), "--db", &db.db]);
        args.extend(extra);
        let Some(Command::Serve(serve)) = Cli::try_parse_from(args).unwrap().command else { unreachable!() };
        let settings = Settings::from_args(&serve).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (shutdown, stop) = oneshot::channel::<()>();
        let (opened, open) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            runtime.block_on(async move {
                let store = settings.db.open(settings.db_pool).await.unwrap();
                opened.send(()).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let stop = async move {
                    let _ = stop.await;
                };
                support_kpi_collector::http::serve(settings, store, listener, stop).await.unwrap();
            });
        });
        // Timed tests start once the store is open (a PostgreSQL one is migrated first).
        open.recv().expect("the store did not open");
        Server { addr, _db: db, _dir: dir, shutdown: Some(shutdown), thread: Some(thread) }
    }

    /// POSTs a report as `navigator.sendBeacon` would (text/plain), from `origin`.
    pub fn post_report(&self, origin: Option<&str>, body: &str) -> Response {
        let mut headers = vec![("Content-Type", "text/plain;charset=UTF-8")];
        headers.extend(origin.map(|o| ("Origin", o)));
        client::send(self.addr, "POST", "/api/report", &headers, body.as_bytes()).unwrap()
    }

    /// GETs `target` with the read token.
    pub fn get(&self, target: &str) -> Response {
        self.get_with(target, &[("Authorization", &format!("Bearer {TOKEN}"))])
    }

    /// GETs `target` with `headers`.
    pub fn get_with(&self, target: &str, headers: &[(&str, &str)]) -> Response {
        client::send(self.addr, "GET", target, headers, b"").unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A path as a flag value.
pub fn path(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The start of the current UTC hour.
pub fn this_hour() -> i64 {
    floor_hour(now_ms())
}

/// A report of `site` for the hour starting at `hour` with `page_views` page views.
pub fn report(site: &str, id: u128, hour: i64, page_views: i64) -> Report {
    let threshold = if site == "open" { 30 } else { 60 };
    let mut report = Report::empty(site, threshold);
    report.set_id(Some(ReportId(id.to_be_bytes())));
    report.cover(Period { from: hour, to: hour + HOUR_MS });
    report.families_mut().engagement.page_views = page_views;
    report
}
