//! Checking the rules: which ones breach now, and which changed since the last check.

use super::{Bound, Rule};
use crate::config::Site;
use crate::error::Error;
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;
use support_kpi::time::{HOUR_MS, floor_hour};
use support_kpi::{Report, kpis_json};

/// A message for a site's webhook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// The webhook URL.
    pub webhook: String,
    /// The JSON body.
    pub body: String,
}

/// The body POSTed to the webhook.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Body<'a> {
    site: &'a str,
    kpi: &'a str,
    /// `breach` or `clear`.
    state: &'static str,
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    below: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    above: Option<f64>,
    hours: u32,
    /// When the check ran, ms since the epoch.
    at: i64,
    /// One line for a chat channel.
    text: String,
}

/// The rules of every site and whether each is breached now.
pub struct Checker {
    sites: Vec<Site>,
    breached: HashMap<(String, usize), bool>,
}

impl Checker {
    /// A checker of the sites that have alerts; every rule starts as not breached.
    pub fn new(sites: impl IntoIterator<Item = Site>) -> Checker {
        Checker { sites: sites.into_iter().filter(|site| site.alerts.is_some()).collect(), breached: HashMap::new() }
    }

    /// True when no site has alerts.
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }

    /// Checks every rule at `now` (ms) and returns a message for each that
    /// breached or cleared since the last check. Reads rollups (blocking).
    pub fn check(&mut self, store: &dyn Store, now: i64) -> Result<Vec<Message>, Error> {
        let mut messages = Vec::new();
        for site in &self.sites {
            let Some(alerts) = &site.alerts else { continue };
            for (index, rule) in alerts.rules.iter().enumerate() {
                let Some(value) = value_now(store, site, rule, now)? else { continue };
                let breached = rule.bound.breached(value);
                let was = self.breached.insert((site.key.clone(), index), breached).unwrap_or(false);
                if breached != was {
                    messages.push(Message {
                        webhook: alerts.webhook.clone(),
                        body: body(site, rule, value, breached, now),
                    });
                }
            }
        }
        Ok(messages)
    }
}

/// The rule's value over its window ending at `now`; `None` when it has none (no denominator).
fn value_now(store: &dyn Store, site: &Site, rule: &Rule, now: i64) -> Result<Option<f64>, Error> {
    let to = floor_hour(now) + HOUR_MS;
    let from = to - HOUR_MS * (i64::from(rule.hours) + 1);
    let mut merged = Report::empty(&site.key, site.service_level_seconds);
    for rollup in store.rollups(&site.key, site.service_level_seconds, from, to)? {
        merged.merge(&rollup.report).map_err(|e| Error::unmergeable(&e))?;
    }
    let kpis = serde_json::from_str(&kpis_json(&merged)).map_err(|e| Error::failed(e.to_string()))?;
    Ok(rule.value_in(&kpis))
}

fn body(site: &Site, rule: &Rule, value: f64, breached: bool, now: i64) -> String {
    let (below, above, side, limit) = match rule.bound {
        Bound::Below(limit) => (Some(limit), None, "below", limit),
        Bound::Above(limit) => (None, Some(limit), "above", limit),
    };
    let hours = if rule.hours == 1 { String::from("hour") } else { format!("{} hours", rule.hours) };
    let text = match breached {
        true => format!("{}: {} is {value}, {side} {limit} over the last {hours}", site.key, rule.kpi),
        false => format!("{}: {} is back at {value} (alert: {side} {limit} over the last {hours})", site.key, rule.kpi),
    };
    let state = if breached { "breach" } else { "clear" };
    let body = Body { site: &site.key, kpi: &rule.kpi, state, value, below, above, hours: rule.hours, at: now, text };
    serde_json::to_string(&body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::parse;
    use crate::store::sqlite::SqliteStore;
    use crate::store::{Incoming, Store};
    use support_kpi::ReportId;

    /// 2026-11-23T10:00:00Z.
    const TEN: i64 = 1_795_392_000_000 + 10 * HOUR_MS;

    fn site() -> Site {
        let alerts = serde_json::json!({"webhook": "http://127.0.0.1:9/hook", "rules": [{"kpi": "speed.serviceLevel", "below": 0.8}]});
        Site {
            key: String::from("acme"),
            origins: vec![String::from("*")],
            time_zone: chrono_tz::UTC,
            service_level_seconds: 60,
            dp_epsilon_milli: None,
            goals: None,
            tags: None,
            monthly_support_cost: None,
            alerts: Some(parse(alerts).unwrap()),
        }
    }

    /// A report of `chats` chats at `hour`, `met` of them answered in time.
    fn store_chats(store: &SqliteStore, id: u8, hour: i64, chats: i64, met: i64) {
        let mut report = Report::empty("acme", 60);
        report.cover(support_kpi::Period { from: hour, to: hour + HOUR_MS });
        let families = report.families_mut();
        families.engagement.chats_started = chats;
        families.speed.counts.service_level_met = met;
        let incoming = Incoming { id: ReportId([id; 16]), hour, received_hour: hour, report };
        store.ingest(&[incoming]).unwrap();
    }

    #[test]
    fn once_when_it_breaches_and_once_when_it_clears() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("kpi.db")).unwrap();
        let mut checker = Checker::new([site()]);
        assert_eq!(checker.check(&store, TEN).unwrap(), [], "no chats: no value, no alert");
        store_chats(&store, 1, TEN, 4, 1);
        let breach = checker.check(&store, TEN + 60_000).unwrap();
        assert_eq!(breach.len(), 1);
        assert_eq!(breach[0].webhook, "http://127.0.0.1:9/hook");
        let body: serde_json::Value = serde_json::from_str(&breach[0].body).unwrap();
        assert_eq!(body["state"], "breach");
        assert_eq!(
            (body["value"].as_f64(), body["below"].as_f64(), body["at"].as_i64()),
            (Some(0.25), Some(0.8), Some(TEN + 60_000))
        );
        assert_eq!(body["text"], "acme: speed.serviceLevel is 0.25, below 0.8 over the last hour");
        assert_eq!(checker.check(&store, TEN + 120_000).unwrap(), [], "still breached: no second message");
        // Two hours later the window (the last whole hour and this one) holds good chats only.
        store_chats(&store, 2, TEN + 2 * HOUR_MS, 10, 10);
        let clear = checker.check(&store, TEN + 2 * HOUR_MS + 60_000).unwrap();
        let body: serde_json::Value = serde_json::from_str(&clear[0].body).unwrap();
        assert_eq!((clear.len(), body["state"].as_str(), body["value"].as_f64()), (1, Some("clear"), Some(1.0)));
        assert_eq!(checker.check(&store, TEN + 2 * HOUR_MS + 120_000).unwrap(), []);
    }
}
