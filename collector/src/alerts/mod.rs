//! Alerts: per-site rules on KPIs, checked by the collector, and a webhook
//! that hears once when a rule breaches and once when it clears.
//!
//! In the sites file a site may have
//! `"alerts": {"webhook": "http://…", "rules": [{"kpi": "speed.serviceLevelOnline", "below": 0.8, "hours": 1}]}`:
//! `kpi` names a ratio (its `value`) or a number of the KPI object, with
//! exactly one of `below` and `above`; `hours` (1 to 168, default 1) is the
//! window: the rollups of that many whole UTC hours before now, and the
//! current one. A rule whose value is null (no denominator yet) neither
//! breaches nor clears. Checking ([`check`]) reads rollups like any query,
//! and delivery ([`webhook`]) runs on tasks of its own, so neither holds up
//! ingest.

pub mod check;
pub mod run;
pub mod webhook;

use serde::Deserialize;
use serde_json::Value;
use support_kpi::{Report, kpis_json};

/// The alerts of one site.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteAlerts {
    /// Where messages are POSTed: an `http://` URL.
    pub webhook: String,
    /// The rules, in the sites file's order.
    pub rules: Vec<Rule>,
}

/// One rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Dotted path in the KPI object, e.g. `availability.presenceInHours`.
    pub kpi: String,
    /// The limit and its side.
    pub bound: Bound,
    /// Whole hours before the current one that the window spans.
    pub hours: u32,
}

/// Which side of a threshold is a breach.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// Breached while the value is below the threshold.
    Below(f64),
    /// Breached while the value is above the threshold.
    Above(f64),
}

impl Bound {
    /// True when `value` breaches.
    pub fn breached(self, value: f64) -> bool {
        match self {
            Bound::Below(limit) => value < limit,
            Bound::Above(limit) => value > limit,
        }
    }
}

impl Rule {
    /// The rule's value in a KPI object: the number at its path, or the `value` of the ratio there.
    pub fn value_in(&self, kpis: &Value) -> Option<f64> {
        let found = self.kpi.split('.').try_fold(kpis, |node, key| node.get(key))?;
        found.get("value").unwrap_or(found).as_f64()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlertsEntry {
    webhook: String,
    rules: Vec<RuleEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleEntry {
    kpi: String,
    below: Option<f64>,
    above: Option<f64>,
    hours: Option<u32>,
}

/// Reads a site's `alerts` member; the error starts with the field at fault (`alerts.rules[1].kpi: …`).
pub fn parse(value: Value) -> Result<SiteAlerts, String> {
    let entry = AlertsEntry::deserialize(value).map_err(|e| format!("alerts: {e}"))?;
    let webhook = check_webhook(&entry.webhook).map_err(|reason| format!("alerts.webhook: {reason}"))?;
    if entry.rules.is_empty() {
        return Err(String::from("alerts.rules: must list at least one rule"));
    }
    let empty: Value = serde_json::from_str(&kpis_json(&Report::empty("site", 60))).map_err(|e| e.to_string())?;
    let rules = entry
        .rules
        .into_iter()
        .enumerate()
        .map(|(index, rule)| read_rule(rule, &empty).map_err(|reason| format!("alerts.rules[{index}].{reason}")))
        .collect::<Result<_, _>>()?;
    Ok(SiteAlerts { webhook, rules })
}

fn read_rule(rule: RuleEntry, empty_kpis: &Value) -> Result<Rule, String> {
    let target = rule.kpi.split('.').try_fold(empty_kpis, |node, key| node.get(key));
    let known = match target {
        Some(Value::Object(members)) => members.contains_key("value") && members.contains_key("den"),
        Some(Value::Number(_) | Value::Null) => true,
        _ => false,
    };
    if !known {
        return Err(format!(
            "kpi: \"{}\" is not a ratio or number of the KPI object (e.g. speed.serviceLevel)",
            rule.kpi
        ));
    }
    let bound = match (rule.below, rule.above) {
        (Some(limit), None) if limit.is_finite() => Bound::Below(limit),
        (None, Some(limit)) if limit.is_finite() => Bound::Above(limit),
        (Some(_), None) => return Err(String::from("below: must be a finite number")),
        (None, Some(_)) => return Err(String::from("above: must be a finite number")),
        _ => return Err(String::from("below: give exactly one of below and above")),
    };
    let hours = rule.hours.unwrap_or(1);
    if !(1..=168).contains(&hours) {
        return Err(String::from("hours: must be an integer from 1 to 168"));
    }
    Ok(Rule { kpi: rule.kpi, bound, hours })
}

/// An `http://host[:port][/path]` URL (no TLS in the collector: put an HTTPS relay behind a plain URL).
fn check_webhook(text: &str) -> Result<String, String> {
    let uri: hyper::Uri = text.parse().map_err(|_| format!("\"{text}\" is not a URL"))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!("\"{text}\" must be an http:// URL (the collector speaks no TLS)"));
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(format!("\"{text}\" has no host"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_rules_and_names_what_is_wrong() {
        let good = json!({"webhook": "http://127.0.0.1:9/hook", "rules": [
            {"kpi": "speed.serviceLevelOnline", "below": 0.8},
            {"kpi": "availability.presenceInHours", "below": 0.9, "hours": 24},
            {"kpi": "speed.firstResponse.p90", "above": 120},
        ]});
        let alerts = parse(good).unwrap();
        assert_eq!(
            alerts.rules[0],
            Rule { kpi: String::from("speed.serviceLevelOnline"), bound: Bound::Below(0.8), hours: 1 }
        );
        assert_eq!(alerts.rules[2].bound, Bound::Above(120.0));
        let cases = [
            (
                json!({"webhook": "https://hooks.example/x", "rules": []}),
                "alerts.webhook: \"https://hooks.example/x\" must be an http:// URL (the collector speaks no TLS)",
            ),
            (json!({"webhook": "not a url", "rules": []}), "alerts.webhook: \"not a url\" is not a URL"),
            (json!({"webhook": "http://h/x", "rules": []}), "alerts.rules: must list at least one rule"),
            (
                json!({"webhook": "http://h/x", "rules": [{"kpi": "speed.nope", "below": 1}]}),
                "alerts.rules[0].kpi: \"speed.nope\" is not a ratio or number of the KPI object (e.g. speed.serviceLevel)",
            ),
            (
                json!({"webhook": "http://h/x", "rules": [{"kpi": "speed", "below": 1}]}),
                "alerts.rules[0].kpi: \"speed\" is not a ratio or number of the KPI object (e.g. speed.serviceLevel)",
            ),
            (
                json!({"webhook": "http://h/x", "rules": [{"kpi": "speed.serviceLevel"}]}),
                "alerts.rules[0].below: give exactly one of below and above",
            ),
            (
                json!({"webhook": "http://h/x", "rules": [{"kpi": "speed.serviceLevel", "below": 1, "hours": 0}]}),
                "alerts.rules[0].hours: must be an integer from 1 to 168",
            ),
        ];
        for (value, error) in cases {
            assert_eq!(parse(value).unwrap_err(), error);
        }
        let unknown =
            parse(json!({"webhook": "http://h/x", "rules": [{"kpi": "speed.serviceLevel", "below": 1, "colour": 1}]}));
        assert!(unknown.unwrap_err().starts_with("alerts: unknown field `colour`"));
    }

    #[test]
    fn values_come_from_ratios_and_numbers() {
        let kpis =
            json!({"speed": {"serviceLevel": {"num": 1, "den": 4, "value": 0.25}, "firstResponse": {"p90": 30.5}}});
        let rule = |kpi: &str| Rule { kpi: kpi.to_owned(), bound: Bound::Below(0.8), hours: 1 };
        assert_eq!(rule("speed.serviceLevel").value_in(&kpis), Some(0.25));
        assert_eq!(rule("speed.firstResponse.p90").value_in(&kpis), Some(30.5));
        assert_eq!(rule("speed.missing").value_in(&kpis), None);
        assert!(Bound::Below(0.8).breached(0.25) && !Bound::Below(0.8).breached(0.8));
        assert!(Bound::Above(60.0).breached(60.5) && !Bound::Above(60.0).breached(60.0));
    }
}
