//! The alert loop: checks the rules every interval and hands what changed to the webhooks.

use super::check::Checker;
use super::webhook::Deliveries;
use crate::config::Sites;
use crate::store::Store;
use crate::time::now_ms;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Starts checking every `interval` on the current tokio runtime, unless no site has alerts.
/// Checks run on the blocking pool, deliveries on tasks of their own: ingest never waits for either.
pub fn start(
    sites: &Sites,
    store: Arc<dyn Store>,
    interval: Duration,
    first_backoff: Duration,
) -> Option<tokio::task::JoinHandle<()>> {
    let checker = Checker::new(sites.iter().cloned());
    if checker.is_empty() {
        return None;
    }
    let checker = Arc::new(Mutex::new(checker));
    Some(tokio::spawn(async move {
        let mut deliveries = Deliveries::new(first_backoff);
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let (checker, store) = (Arc::clone(&checker), Arc::clone(&store));
            let checked = tokio::task::spawn_blocking(move || {
                let mut checker = checker.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                checker.check(&*store, now_ms())
            })
            .await;
            match checked {
                Ok(Ok(messages)) => {
                    for message in messages {
                        deliveries.send(&message.webhook, message.body);
                    }
                }
                Ok(Err(error)) => eprintln!("support-kpi-collector: alerts: cannot read rollups ({error})"),
                Err(error) => eprintln!("support-kpi-collector: alerts: the check failed ({error})"),
            }
        }
    }))
}
