//! What the collector checks of a decoded report beyond the engine's schema:
//! that one device could have sent it for its site.
//!
//! A report covers one device's events over its period, so every count is
//! capped per hour of that period ([`MAX_PER_HOUR`]) and the period itself is
//! at most [`MAX_PERIOD_HOURS`] long; sums are capped by their counts
//! (durations at 30 days each, conversion values at the event limit). A
//! `noise` member is accepted only for a site whose sites-file entry sets
//! `dpEpsilon`, and only with exactly the noise of one report at that ε; its
//! counts may then lie up to [`NOISE_SCALES`] noise scales beyond the caps.
//! Goal and tag names must be on the site's lists, when it has them. Each
//! refusal is a 400 naming the field.

use crate::config::Site;
use crate::error::Error;
use support_kpi::dp::{Noise, SENSITIVITY};
use support_kpi::sketch::{MAX_MS, Sketch};
use support_kpi::time::HOUR_MS;
use support_kpi::{MAX_VALUE_MILLI, Period, Report};

/// Longest period one report may cover, in hours (a week).
pub const MAX_PERIOD_HOURS: i64 = 7 * 24;
/// Most of any one count a report may hold per hour of its period (one a second).
pub const MAX_PER_HOUR: i64 = 3_600;
/// How many noise scales (b = 82 / ε) a noised count may lie beyond its
/// bounds: a discrete Laplace sample passes that with probability e^-50.
pub const NOISE_SCALES: i64 = 50;

/// Checks `report` (of `period`) against its site; a 400 naming the field otherwise.
pub fn check(report: &Report, period: Period, site: &Site) -> Result<(), Error> {
    let hours = (period.to - period.from) / HOUR_MS;
    if hours > MAX_PERIOD_HOURS {
        let reason =
            format!("must be at most {MAX_PERIOD_HOURS} hours after period.from (a week: one device's report)");
        return Err(Error::invalid("period.to", &reason));
    }
    let cap = MAX_PER_HOUR * hours;
    let slack = noise_slack(report, site)?;
    check_names(report, site)?;
    let mut refusal = None;
    report.each_counts(&mut |member, values| {
        let over = values.iter().position(|value| !(-slack..=cap + slack).contains(value));
        if let (None, Some(index)) = (&refusal, over) {
            refusal = Some(over_cap(&format!("{member}[{index}]"), -slack, cap + slack));
        }
    });
    report.each_sketch(&mut |member, sketch| {
        if refusal.is_none() {
            refusal = check_sketch(member, sketch, cap).err();
        }
    });
    report.each_named(&mut |member, name, counts| {
        if refusal.is_some() {
            return;
        }
        refusal = match member {
            "tags" => (counts[0] > cap).then(|| over_cap(&format!("tags.{name}[0]"), 0, cap)),
            _ => check_goal(name, counts, cap).err(),
        };
    });
    refusal.map_or(Ok(()), Err)
}

/// How far beyond its bounds a count may lie: 0 for an exact report, the
/// noise's tail for a noised one; a 400 for noise the site did not configure.
fn noise_slack(report: &Report, site: &Site) -> Result<i64, Error> {
    let Some(noise) = report.noise() else { return Ok(0) };
    let Some(epsilon_milli) = site.dp_epsilon_milli else {
        let reason = format!(
            "is not accepted: site \"{}\" does not enable differential privacy (dpEpsilon in its sites-file entry)",
            site.key
        );
        return Err(Error::invalid("noise", &reason));
    };
    let expected = Noise::of_one_report(epsilon_milli);
    if noise != expected {
        let reason = format!(
            "must be {{\"reports\":1,\"variance\":{}}}, the noise of one report at site \"{}\"'s ε = {}",
            expected.variance,
            site.key,
            f64::from(epsilon_milli) / 1000.0
        );
        return Err(Error::invalid("noise", &reason));
    }
    // The noise scale b = SENSITIVITY / ε, rounded up.
    let epsilon_milli = i64::from(epsilon_milli);
    let scale = (SENSITIVITY * 1000 + epsilon_milli - 1) / epsilon_milli;
    Ok(NOISE_SCALES * scale)
}

/// Goal and tag names on the site's lists (when it has them).
fn check_names(report: &Report, site: &Site) -> Result<(), Error> {
    let mut names: Vec<(String, String)> = Vec::new();
    report.each_named(&mut |member, name, _| names.push((member.to_owned(), name.to_owned())));
    for (member, allowed) in [("goals", &site.goals), ("tags", &site.tags)] {
        let Some(allowed) = allowed else { continue };
        let mut unlisted = names.iter().filter(|(of, name)| of == member && !allowed.iter().any(|a| a == name));
        if let Some((_, name)) = unlisted.next() {
            let reason = format!("\"{name}\" is not one of the {member} listed for site \"{}\"", site.key);
            return Err(Error::invalid(&format!("{member}.{name}"), &reason));
        }
    }
    Ok(())
}

fn check_sketch(member: &str, sketch: &Sketch, cap: i64) -> Result<(), Error> {
    let count = sketch.count();
    if count > cap {
        let reason = format!("holds {count} durations: at most {MAX_PER_HOUR} per hour of the period");
        return Err(Error::invalid(member, &reason));
    }
    if sketch.sum_ms() > count.saturating_mul(MAX_MS) {
        let reason = "must be at most 30 days (2592000000 ms) per duration";
        return Err(Error::invalid(&format!("{member}.sumMs"), reason));
    }
    Ok(())
}

/// A goal's `[count, value, afterChatCount, afterChatValue]`: counts capped,
/// after-chat ones within all, values within their counts' limit.
fn check_goal(name: &str, counts: &[i64], cap: i64) -> Result<(), Error> {
    let &[count, value, after_count, after_value] = counts else { return Ok(()) };
    let field = |index: usize| format!("goals.{name}[{index}]");
    if count > cap {
        return Err(over_cap(&field(0), 0, cap));
    }
    if after_count > count {
        return Err(Error::invalid(&field(2), "must be at most the goal's count (position 0)"));
    }
    for (index, value, count) in [(1, value, count), (3, after_value, after_count)] {
        if value > count.saturating_mul(MAX_VALUE_MILLI) {
            let reason = "must be at most 10^15 thousandths per conversion counted";
            return Err(Error::invalid(&field(index), reason));
        }
    }
    Ok(())
}

fn over_cap(field: &str, low: i64, high: i64) -> Error {
    let reason =
        format!("must be from {low} to {high}: at most {MAX_PER_HOUR} per hour of the period, one device's report");
    Error::invalid(field, &reason)
}
