//! The result of one run at a fixed rate, and its JSON line.

use serde::Serialize;
use std::collections::BTreeMap;

/// What one run measured.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Reports per second the schedule asked for.
    pub target_rate: f64,
    /// 202 answers per second, over the time from the first scheduled send to the last answer.
    pub achieved_rate: f64,
    /// Requests scheduled.
    pub sent: usize,
    /// Requests answered 202.
    pub ok: usize,
    /// Requests that failed: another status, a connection error or a timeout.
    pub errors: usize,
    /// Failures by reason (`status 429`, `connect: …`).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub error_kinds: BTreeMap<String, usize>,
    /// Latency percentiles of the 202 answers, measured from the scheduled send time.
    pub p50_ms: f64,
    /// 90th percentile.
    pub p90_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest answer.
    pub max_ms: f64,
    /// Length of the schedule in seconds.
    pub duration_s: f64,
}

impl Summary {
    /// Summarizes a run: `latencies_us` of the successes, `failures` by reason.
    pub fn new(
        target_rate: f64,
        duration_s: f64,
        elapsed_s: f64,
        mut latencies_us: Vec<u32>,
        failures: Vec<String>,
    ) -> Summary {
        latencies_us.sort_unstable();
        let percentile = |p: f64| -> f64 {
            // Nearest rank.
            let rank = ((p / 100.0) * latencies_us.len() as f64).ceil() as usize;
            latencies_us.get(rank.saturating_sub(1)).map_or(0.0, |&us| round3(f64::from(us) / 1000.0))
        };
        let mut error_kinds = BTreeMap::new();
        for reason in &failures {
            *error_kinds.entry(reason.clone()).or_insert(0) += 1;
        }
        Summary {
            target_rate,
            achieved_rate: if elapsed_s > 0.0 { round3(latencies_us.len() as f64 / elapsed_s) } else { 0.0 },
            sent: latencies_us.len() + failures.len(),
            ok: latencies_us.len(),
            errors: failures.len(),
            error_kinds,
            p50_ms: percentile(50.0),
            p90_ms: percentile(90.0),
            p99_ms: percentile(99.0),
            max_ms: percentile(100.0),
            duration_s,
        }
    }

    /// True when the run kept up: no errors, p99 under `p99_limit_ms`, at least 99 % of the target rate.
    pub fn sustained(&self, p99_limit_ms: f64) -> bool {
        self.errors == 0 && self.p99_ms < p99_limit_ms && self.achieved_rate >= 0.99 * self.target_rate
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn percentiles_are_nearest_rank_in_milliseconds() {
        let latencies: Vec<u32> = (1..=1000).map(|n| n * 10).collect();
        let failures = vec![String::from("status 429"), String::from("status 429"), String::from("connect: refused")];
        let summary = Summary::new(100.0, 10.0, 10.0, latencies, failures);
        assert_eq!((summary.p50_ms, summary.p90_ms, summary.p99_ms, summary.max_ms), (5.0, 9.0, 9.9, 10.0));
        assert_eq!((summary.sent, summary.ok, summary.errors, summary.achieved_rate), (1003, 1000, 3, 100.0));
        assert_eq!(summary.error_kinds["status 429"], 2);
        assert!(!summary.sustained(20.0), "errors");
        let clean = Summary::new(100.0, 10.0, 10.0, vec![1000; 1000], Vec::new());
        assert!(clean.sustained(20.0));
        assert!(!clean.sustained(1.0), "p99 at the limit");
        let slow = Summary::new(200.0, 10.0, 10.0, vec![1000; 1000], Vec::new());
        assert!(!slow.sustained(20.0), "half the target rate");
    }
}
