//! The sites in force over the server's life: the alert loop for them, and
//! on SIGHUP the sites file read again. A file that does not validate is
//! refused with its error on stderr and the sites in force stay; a good
//! one replaces them for every request that starts after it (rate buckets
//! start full, the alert rules' breach state afresh).

use super::{AppState, Live};
use crate::alerts;
use crate::config::SitesSource;
use crate::store::Store;
use std::sync::{Arc, PoisonError};
use std::time::Duration;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// What the alert loop needs besides the sites.
pub(super) struct Alerts {
    pub store: Arc<dyn Store>,
    pub interval: Duration,
    pub first_backoff: Duration,
}

impl Alerts {
    fn start(&self, live: &Live) -> Option<JoinHandle<()>> {
        alerts::run::start(&live.sites, Arc::clone(&self.store), self.interval, self.first_backoff)
    }
}

/// SIGHUP caught from now on (instead of ending the process), if it can be.
pub(super) fn hangups() -> Option<Signal> {
    signal(SignalKind::hangup())
        .inspect_err(|error| eprintln!("support-kpi-collector: SIGHUP will not reload the sites ({error})"))
        .ok()
}

/// Runs the alert loop of the sites in force and reloads them from `source`
/// on every SIGHUP, until `stop` resolves.
pub(super) async fn supervise(
    state: Arc<AppState>,
    source: SitesSource,
    alerts: Alerts,
    mut hangups: Option<Signal>,
    mut stop: oneshot::Receiver<()>,
) {
    let mut running = alerts.start(&state.live());
    loop {
        let hangup = async {
            match hangups.as_mut() {
                Some(hangups) => hangups.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = &mut stop => break,
            _ = hangup => {}
        }
        let sites = match source.load() {
            Ok(sites) => sites,
            Err(error) => {
                eprintln!("support-kpi-collector: sites not reloaded, the ones in force stay: {error}");
                continue;
            }
        };
        let count = sites.iter().count();
        let live = Arc::new(Live::new(sites, state.live().rate_limiter.limit()));
        if let Some(old) = running.take() {
            old.abort();
        }
        running = alerts.start(&live);
        *state.live.write().unwrap_or_else(PoisonError::into_inner) = live;
        eprintln!("support-kpi-collector: sites reloaded ({count} site(s) in force)");
    }
    if let Some(running) = running {
        running.abort();
    }
}
