//! Property: random sequences of extreme but valid reports (up to 64 names
//! from a pool of 80, counts at the plausibility caps, values at 2^53-1,
//! noised and exact, many sites in one batch) leave every stored total
//! decodable and equal to the in-memory merge of the reports the store
//! accepted; each refusal is the one the in-memory totals predict.

use proptest::prelude::*;
use std::collections::HashMap;
use support_kpi::dp::{Noise, SENSITIVITY};
use support_kpi::sketch::MAX_MS;
use support_kpi::time::HOUR_MS;
use support_kpi::{MAX_COUNT, MAX_VALUE_MILLI, Period, Report, ReportId};
use support_kpi_collector::config::Site;
use support_kpi_collector::plausible::{MAX_PER_HOUR, NOISE_SCALES, check};
use support_kpi_collector::store::sqlite::SqliteStore;
use support_kpi_collector::store::{Incoming, Outcome, Store};

/// 2026-11-23T00:00:00Z.
const HOUR: i64 = 1_795_392_000_000;
/// ε (thousandths) of the noised sites; `None` for exact ones.
const SITES: [(&str, Option<u32>); 4] = [("s0", None), ("s1", None), ("s2", Some(100)), ("s3", Some(10_000))];

struct Random(u64);

impl Random {
    fn below(&mut self, n: i64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as i64
    }

    /// Mostly an extreme: `high`, `low` or 0; else anything in between.
    fn count(&mut self, low: i64, high: i64) -> i64 {
        match self.below(4) {
            0 => high,
            1 => low,
            2 => 0,
            _ => low + self.below(high - low + 1),
        }
    }
}

fn site(key: &str, dp_epsilon_milli: Option<u32>) -> Site {
    Site {
        key: key.to_owned(),
        origins: vec![String::from("*")],
        time_zone: chrono_tz::UTC,
        service_level_seconds: 60,
        dp_epsilon_milli,
        goals: None,
        tags: None,
        monthly_support_cost: None,
        alerts: None,
    }
}

/// A report of one device at the edge of what the collector accepts.
fn extreme(site: &str, epsilon: Option<u32>, hour: i64, id: u128, seed: u64) -> Report {
    let mut random = Random(seed | 1);
    let mut report = Report::empty(site, 60);
    report.set_id(Some(ReportId(id.to_be_bytes())));
    report.cover(Period { from: hour, to: hour + HOUR_MS });
    let slack = epsilon.map_or(0, |e| NOISE_SCALES * (SENSITIVITY * 1000).div_euclid(i64::from(e)));
    let families = report.families_mut();
    let friendliness = families.friendliness;
    let counts = [
        &mut families.engagement.counts_mut()[..],
        &mut families.availability.counts_mut()[..],
        &mut families.speed.counts.counts_mut()[..],
        &mut families.prevention.counts.counts_mut()[..],
        &mut families.contribution.counts.counts_mut()[..],
        &mut families.productivity.counts_mut()[..],
    ];
    for family in counts {
        for count in family {
            **count = random.count(-slack, MAX_PER_HOUR + slack);
        }
    }
    for histogram in [&mut friendliness.csat[..], &mut friendliness.nps[..], &mut friendliness.ces[..]] {
        for count in histogram {
            *count = random.count(-slack, MAX_PER_HOUR + slack);
        }
    }
    if let Some(epsilon) = epsilon {
        report.add_noise(Noise::of_one_report(epsilon));
        return report;
    }
    let mut pool: Vec<i64> = (0..80).collect();
    for n in 0..random.below(65) as usize {
        let pick = n + random.below((80 - n) as i64) as usize;
        pool.swap(n, pick);
        let count = random.count(0, MAX_PER_HOUR);
        let after = random.below(count + 1);
        let value = random.count(0, (count * MAX_VALUE_MILLI).min(MAX_COUNT));
        let after_value = random.count(0, (after * MAX_VALUE_MILLI).min(MAX_COUNT));
        let families = report.families_mut();
        families.contribution.goals.add(&format!("goal-{}", pool[n]), &[count, value, after, after_value]);
        families.prevention.tags.add(&format!("tag-{}", pool[n]), &[random.count(0, MAX_PER_HOUR)]);
    }
    for _ in 0..random.below(4) {
        let speed = report.families_mut().speed;
        speed.resolution.record(MAX_MS);
        speed.first_response.record(random.below(MAX_MS));
    }
    for count in report.families_mut().hours.at(random.below(168) as usize).counts_mut() {
        *count = random.count(0, MAX_PER_HOUR);
    }
    report
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_stored_total_decodes_and_equals_the_merge_of_what_was_accepted(
        batches in prop::collection::vec(prop::collection::vec((0..4usize, 0..2i64, any::<u64>()), 1..60), 1..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("kpi.db")).unwrap();
        let mut model: HashMap<(usize, i64), (Report, i64)> = HashMap::new();
        let mut id = 0u128;
        for reports in batches {
            let batch: Vec<Incoming> = reports
                .iter()
                .map(|&(site_index, hour, seed)| {
                    id += 1;
                    let (key, epsilon) = SITES[site_index];
                    let hour = HOUR + hour * HOUR_MS;
                    let report = extreme(key, epsilon, hour, id, seed);
                    let period = report.period().unwrap();
                    check(&report, period, &site(key, epsilon)).expect("a valid report");
                    Incoming { id: ReportId(id.to_be_bytes()), hour, received_hour: hour, report }
                })
                .collect();
            let outcomes = store.ingest(&batch).unwrap();
            for ((&(site_index, hour, _), incoming), outcome) in reports.iter().zip(&batch).zip(outcomes) {
                let (key, _) = SITES[site_index];
                let (total, count) = model.entry((site_index, hour)).or_insert_with(|| (Report::empty(key, 60), 0));
                match total.check_room_for(&incoming.report) {
                    Ok(()) => {
                        prop_assert_eq!(outcome, Outcome::Stored);
                        total.merge(&incoming.report).unwrap();
                        *count += 1;
                    }
                    Err(error) => prop_assert_eq!(outcome, Outcome::Refused(error)),
                }
            }
        }
        for ((site_index, hour), (total, count)) in model {
            let hour = HOUR + hour * HOUR_MS;
            let stored = store.rollups(SITES[site_index].0, 60, hour, hour + 1).unwrap();
            prop_assert_eq!(stored.len(), usize::from(count > 0));
            if let Some(rollup) = stored.first() {
                prop_assert_eq!(rollup.reports, count);
                prop_assert_eq!(&rollup.report, &total);
                prop_assert_eq!(Report::decode(rollup.report.encode().as_bytes()).unwrap(), total);
            }
        }
    }
}
