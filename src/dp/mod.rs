//! Optional differential privacy: counts noised on the device before sending.
//!
//! With `dpEpsilon` configured, each report that leaves the device is
//! ε-differentially private with respect to everything it covers: every
//! count is first clipped to a per-report cap (each family's `CAPS`), each score
//! histogram to one rating, so that any two possible contents of a report
//! differ by at most [`SENSITIVITY`] in L1; then every count gets independent
//! discrete Laplace noise of scale `SENSITIVITY / ε` (sampled exactly, see
//! [`laplace`]). Members without a small fixed sensitivity (duration
//! sketches, hours of the week, goals, tags) are not sent at all. A report
//! carries [`Noise`], which merges by addition, so the collector knows how
//! noisy every total is.

pub use crate::config::EPSILON_MILLI_RANGE;
use crate::counters::MAX_COUNT;
pub use crate::noise::{Noise, Noiser, RandomSource, laplace};
use crate::report::Report;

/// The L1 sensitivity of a report's released counts: the sum of every
/// family's [`crate::families::Family::SENSITIVITY`] (its counter caps,
/// plus 2 per score histogram).
pub const SENSITIVITY: i64 = Report::SENSITIVITY;

/// The noise one report gets.
impl Noise {
    /// The noise of one report noised with ε = `epsilon_milli` / 1000:
    /// variance 2b² of the discrete Laplace with scale b = SENSITIVITY / ε
    /// (exactly 2α/(1−α)² with α = e^(−1/b), which is 2b² − 1/6 + O(1/b²)).
    pub fn of_one_report(epsilon_milli: u32) -> Noise {
        // At most 2 · 86,000² + 10⁸ / 2: far inside u64.
        let t = 1000 * SENSITIVITY as u64;
        let s = u64::from(epsilon_milli.max(1));
        let variance = (2 * t * t + s * s / 2) / (s * s);
        Noise { reports: 1, variance: variance.min(MAX_COUNT as u64) as i64 }
    }
}

/// Turns an exact report into the differentially private one to send:
/// clips, drops what has no small sensitivity, and adds noise with ε =
/// `epsilon_milli` / 1000. A report with nothing counted stays as it is
/// (it is not sent).
pub fn privatize(report: &mut Report, epsilon_milli: u32, random: &mut dyn RandomSource) {
    if report.is_empty() {
        return;
    }
    let t = 1000 * SENSITIVITY as u64;
    let s = u64::from(epsilon_milli.max(1));
    report.privatize_families(&mut Noiser::new(random, t, s));
    report.add_noise(Noise::of_one_report(epsilon_milli));
}

#[cfg(test)]
mod tests {
    use super::laplace::tests::{SplitMix, theoretical_variance};
    use super::*;
    use crate::ReportId;
    use crate::families::availability::Availability;
    use crate::families::contribution::ContributionCounts;
    use crate::families::engagement::Engagement;
    use crate::families::prevention::PreventionCounts;
    use crate::families::productivity::Productivity;
    use crate::families::speed::SpeedCounts;
    use crate::families::{contribution, prevention, productivity, speed};
    use crate::testing::{at, engine, event, feed};

    #[test]
    fn every_counter_has_a_cap_and_the_sensitivity_is_their_sum() {
        assert_eq!(crate::families::engagement::CAPS.len(), Engagement::NAMES.len());
        assert_eq!(crate::families::availability::CAPS.len(), Availability::NAMES.len());
        assert_eq!(speed::CAPS.len(), SpeedCounts::NAMES.len());
        assert_eq!(prevention::CAPS.len(), PreventionCounts::NAMES.len());
        assert_eq!(contribution::CAPS.len(), ContributionCounts::NAMES.len());
        assert_eq!(productivity::CAPS.len(), Productivity::NAMES.len());
        assert_eq!(SENSITIVITY, 86, "docs/kpis.md states the caps and this sensitivity");
    }

    #[test]
    fn one_reports_variance_is_two_b_squared() {
        // ε = 1: b = 86, 2b² = 14,792; the exact variance is 1/6 less.
        assert_eq!(Noise::of_one_report(1000), Noise { reports: 1, variance: 14_792 });
        assert!((theoretical_variance(86.0) - 14_792.0).abs() < 0.5);
        assert_eq!(Noise::of_one_report(100).variance, 1_479_200);
        assert_eq!(Noise::of_one_report(10_000).variance, 148);
    }

    /// A busy session: more of everything than the caps allow.
    fn busy_report() -> Report {
        let mut e = engine(r#""goals":["purchase"],"tags":["complaint"]"#);
        let mut events = alloc::vec::Vec::new();
        for minute in 0..12 {
            events.push(event("page_view", at(f64::from(minute)), r#""support":true"#));
            events.push(event("chat_button_impression", at(f64::from(minute) + 0.1), ""));
        }
        events.push(event("chat_started", at(12.0), ""));
        for second in 0..30 {
            events.push(event("agent_message", at(12.0 + f64::from(second) / 100.0), ""));
        }
        events.push(event("chat_ended", at(13.0), r#""resolved":true"#));
        events.push(event("survey", at(13.5), r#""kind":"csat","score":5"#));
        events.push(event("survey", at(13.6), r#""kind":"csat","score":4"#));
        events.push(event("tag", at(13.7), r#""name":"complaint""#));
        events.push(event("conversion", at(14.0), r#""goal":"purchase","value":10"#));
        feed(&mut e, &events);
        e.take_report(ReportId([1; 16]))
    }

    #[test]
    fn a_private_report_holds_only_noised_counts() {
        let mut report = busy_report();
        privatize(&mut report, 1000, &mut SplitMix(3));
        let text = report.encode();
        for gone in ["firstResponse", "response", "resolution", "handleTime", "hours", "goals", "tags"] {
            assert!(!text.contains(gone), "{gone} must not be sent: {text}");
        }
        assert!(text.contains(r#""noise":{"reports":1,"variance":14792}"#), "{text}");
        assert_eq!(Report::decode(text.as_bytes()).unwrap(), report, "noised reports round-trip");
        assert_eq!(report.id(), Some(ReportId([1; 16])), "the id stays for de-duplication");
    }

    /// Averages many private releases of the same report to find the clipped
    /// values under the noise.
    #[test]
    fn clipping_caps_each_count_and_noise_averages_out() {
        const RUNS: i64 = 4000;
        let exact = busy_report();
        let mut random = SplitMix(5);
        let mut sum = Report::empty("test", 60);
        for _ in 0..RUNS {
            let mut private = exact.clone();
            privatize(&mut private, 1000, &mut random);
            sum.merge(&private).unwrap();
        }
        let mean = |total: i64| total as f64 / RUNS as f64;
        // Each mean has standard error sqrt(14,792 / 4000) ≈ 1.9; 5 of them bound it.
        let close = |total: i64, expected: i64| (mean(total) - expected as f64).abs() < 10.0;
        assert_eq!(exact.engagement.page_views, 12);
        assert!(close(sum.engagement.page_views, 8), "page views clipped to 8: {}", mean(sum.engagement.page_views));
        assert!(close(sum.engagement.sessions, 1));
        assert!(close(sum.productivity.messages, 10), "messages clipped to 10");
        assert!(close(sum.friendliness.csat[3] + sum.friendliness.csat[4], 1), "one CSAT rating kept");
        assert_eq!(sum.noise(), Some(Noise { reports: RUNS, variance: RUNS * 14_792 }));
    }

    #[test]
    fn noise_has_the_stated_spread_on_a_released_count() {
        const RUNS: usize = 20_000;
        let exact = busy_report();
        let mut random = SplitMix(9);
        let values: alloc::vec::Vec<f64> = (0..RUNS)
            .map(|_| {
                let mut private = exact.clone();
                privatize(&mut private, 2000, &mut random);
                private.engagement.sessions as f64
            })
            .collect();
        let mean = values.iter().sum::<f64>() / RUNS as f64;
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (RUNS - 1) as f64;
        let expected = Noise::of_one_report(2000).variance as f64;
        assert!((mean - 1.0).abs() < 5.0 * (expected / RUNS as f64).sqrt(), "mean {mean}");
        assert!(
            (variance - expected).abs() < 5.0 * expected * (5.0 / RUNS as f64).sqrt(),
            "variance {variance} vs {expected}"
        );
    }

    #[test]
    fn an_empty_report_is_left_alone() {
        let mut report = Report::empty("test", 60);
        privatize(&mut report, 1000, &mut SplitMix(1));
        assert_eq!(report, Report::empty("test", 60));
    }
}
