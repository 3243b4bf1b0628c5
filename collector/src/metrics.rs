//! The instance's counters for `GET /metrics`, in the Prometheus text
//! format (version 0.0.4).
//!
//! Nothing in them names a site, an origin, a report or a client: reports
//! are counted by outcome and refusals by reason, over all sites together.
//! Counters are per instance and start at zero; Prometheus sums instances.

use crate::store::StoreStatus;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Why a report was refused, from its answer's status code.
const REASONS: [(u16, &str); 7] = [
    (400, "invalid"),
    (403, "origin"),
    (409, "hour_total_full"),
    (413, "too_large"),
    (415, "content_type"),
    (429, "rate_limited"),
    (503, "store_unavailable"),
];

/// Upper bounds of the latency buckets, in microseconds (0.5 ms to 10 s).
const LATENCY_BOUNDS_US: &[u64] =
    &[500, 1_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 10_000_000];
/// Upper bounds of the batch size buckets, in reports (the largest batch is 512).
const BATCH_BOUNDS: &[u64] = &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

/// A histogram with fixed bucket bounds, in integer units.
struct Histogram {
    bounds: &'static [u64],
    /// Observations per bucket (not cumulative); the last is above every bound.
    counts: Vec<AtomicU64>,
    sum: AtomicU64,
}

impl Histogram {
    fn new(bounds: &'static [u64]) -> Histogram {
        Histogram { bounds, counts: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(), sum: AtomicU64::new(0) }
    }

    fn observe(&self, value: u64) {
        let bucket = self.bounds.iter().position(|&bound| value <= bound).unwrap_or(self.bounds.len());
        self.counts[bucket].fetch_add(1, Ordering::Relaxed);
        self.sum.fetch_add(value, Ordering::Relaxed);
    }

    /// Appends the histogram `name`; values are divided by `per_unit` (1e6 for µs to seconds).
    fn render(&self, out: &mut String, name: &str, help: &str, per_unit: f64) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (index, count) in self.counts.iter().enumerate() {
            cumulative += count.load(Ordering::Relaxed);
            match self.bounds.get(index) {
                Some(&bound) => {
                    let _ = writeln!(out, "{name}_bucket{{le=\"{}\"}} {cumulative}", bound as f64 / per_unit);
                }
                None => {
                    let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
                }
            }
        }
        let sum = self.sum.load(Ordering::Relaxed) as f64 / per_unit;
        let _ = writeln!(out, "{name}_sum {sum}\n{name}_count {cumulative}");
    }
}

/// The counters of one instance.
pub struct Metrics {
    stored: AtomicU64,
    duplicate: AtomicU64,
    refused: [AtomicU64; REASONS.len() + 1],
    ingest_us: Histogram,
    commit_us: Histogram,
    batch_reports: Histogram,
    store_errors: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            stored: AtomicU64::new(0),
            duplicate: AtomicU64::new(0),
            refused: Default::default(),
            ingest_us: Histogram::new(LATENCY_BOUNDS_US),
            commit_us: Histogram::new(LATENCY_BOUNDS_US),
            batch_reports: Histogram::new(BATCH_BOUNDS),
            store_errors: AtomicU64::new(0),
        }
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl Metrics {
    /// A report acknowledged (202) after `took`: `stored` or a duplicate.
    pub fn accepted(&self, stored: bool, took: Duration) {
        let counter = if stored { &self.stored } else { &self.duplicate };
        counter.fetch_add(1, Ordering::Relaxed);
        self.ingest_us.observe(micros(took));
    }

    /// A report refused with `status`.
    pub fn refused(&self, status: u16) {
        let reason = REASONS.iter().position(|(code, _)| *code == status).unwrap_or(REASONS.len());
        self.refused[reason].fetch_add(1, Ordering::Relaxed);
    }

    /// A batch of `reports` committed (`ok`) or failed, after `took`.
    pub fn batch(&self, reports: usize, took: Duration, ok: bool) {
        self.batch_reports.observe(reports as u64);
        self.commit_us.observe(micros(took));
        if !ok {
            self.store_errors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Everything, with the store's `status`, as Prometheus text.
    pub fn render(&self, status: StoreStatus) -> String {
        let mut out = String::with_capacity(4096);
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "# HELP support_kpi_reports_total Reports acknowledged with 202, by outcome.\n\
             # TYPE support_kpi_reports_total counter\n\
             support_kpi_reports_total{{outcome=\"stored\"}} {}\n\
             support_kpi_reports_total{{outcome=\"duplicate\"}} {}",
            load(&self.stored),
            load(&self.duplicate)
        );
        out.push_str(
            "# HELP support_kpi_reports_refused_total Reports refused, by reason.\n\
             # TYPE support_kpi_reports_refused_total counter\n",
        );
        let reasons = REASONS.iter().map(|(_, reason)| *reason).chain(["other"]);
        for (reason, counter) in reasons.zip(&self.refused) {
            let _ = writeln!(out, "support_kpi_reports_refused_total{{reason=\"{reason}\"}} {}", load(counter));
        }
        self.ingest_us.render(
            &mut out,
            "support_kpi_ingest_seconds",
            "Time from receiving a report to its 202 (decoding, checks, queueing, commit).",
            1e6,
        );
        self.commit_us.render(&mut out, "support_kpi_batch_seconds", "Time to store one batch (one transaction).", 1e6);
        self.batch_reports.render(&mut out, "support_kpi_batch_reports", "Reports per batch.", 1.0);
        let _ = writeln!(
            out,
            "# HELP support_kpi_store_errors_total Batches the store failed to commit (their reports got 503).\n\
             # TYPE support_kpi_store_errors_total counter\n\
             support_kpi_store_errors_total {}\n\
             # HELP support_kpi_store_info The store and its schema version.\n\
             # TYPE support_kpi_store_info gauge\n\
             support_kpi_store_info{{store=\"{}\",schema_version=\"{}\"}} 1",
            load(&self.store_errors),
            status.kind,
            status.schema_version
        );
        if let Some(pool) = status.pool {
            let _ = writeln!(
                out,
                "# HELP support_kpi_store_pool_connections Connections of the store's pool, by state.\n\
                 # TYPE support_kpi_store_pool_connections gauge\n\
                 support_kpi_store_pool_connections{{state=\"max\"}} {}\n\
                 support_kpi_store_pool_connections{{state=\"open\"}} {}\n\
                 support_kpi_store_pool_connections{{state=\"idle\"}} {}\n\
                 # HELP support_kpi_store_pool_waiting Callers waiting for a connection of the pool.\n\
                 # TYPE support_kpi_store_pool_waiting gauge\n\
                 support_kpi_store_pool_waiting {}",
                pool.max, pool.open, pool.idle, pool.waiting
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PoolUse;

    #[test]
    fn renders_counters_histograms_and_the_pool() {
        let metrics = Metrics::default();
        metrics.accepted(true, Duration::from_micros(700));
        metrics.accepted(false, Duration::from_millis(30));
        metrics.refused(429);
        metrics.refused(418);
        metrics.batch(3, Duration::from_micros(400), true);
        metrics.batch(600, Duration::from_secs(20), false);
        let pool = Some(PoolUse { max: 8, open: 3, idle: 2, waiting: 0 });
        let text = metrics.render(StoreStatus { kind: "postgresql", schema_version: 1, pool });
        for line in [
            "support_kpi_reports_total{outcome=\"stored\"} 1",
            "support_kpi_reports_total{outcome=\"duplicate\"} 1",
            "support_kpi_reports_refused_total{reason=\"rate_limited\"} 1",
            "support_kpi_reports_refused_total{reason=\"other\"} 1",
            "support_kpi_reports_refused_total{reason=\"invalid\"} 0",
            "support_kpi_ingest_seconds_bucket{le=\"0.0005\"} 0",
            "support_kpi_ingest_seconds_bucket{le=\"0.001\"} 1",
            "support_kpi_ingest_seconds_bucket{le=\"0.05\"} 2",
            "support_kpi_ingest_seconds_sum 0.0307",
            "support_kpi_ingest_seconds_count 2",
            "support_kpi_batch_reports_bucket{le=\"4\"} 1",
            "support_kpi_batch_reports_bucket{le=\"512\"} 1",
            "support_kpi_batch_reports_bucket{le=\"+Inf\"} 2",
            "support_kpi_batch_seconds_bucket{le=\"10\"} 1",
            "support_kpi_store_errors_total 1",
            "support_kpi_store_info{store=\"postgresql\",schema_version=\"1\"} 1",
            "support_kpi_store_pool_connections{state=\"idle\"} 2",
            "support_kpi_store_pool_waiting 0",
        ] {
            assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
        }
        let without_pool = metrics.render(StoreStatus { kind: "sqlite", schema_version: 2, pool: None });
        assert!(!without_pool.contains("pool"));
    }
}
