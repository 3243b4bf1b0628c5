//! Property tests: reports merge associatively and commutatively with an
//! identity, merging reports cut anywhere from one engine's stream gives that
//! engine's KPIs exactly, and sketch quantiles stay within the stated error.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use support_kpi::sketch::{RELATIVE_ERROR, Sketch};
use support_kpi::{NativeEngine, Report, ReportId, kpis_json};

/// 2026-11-23T00:00:00Z.
const START: i64 = 1_795_392_000_000;

const CONFIG: &str = r#"{"siteKey":"prop","timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]],"tue":[["09:00","17:30"]]},
  "goals":["purchase","signup"],"tags":["complaint","refund"],"serviceLevelSeconds":45,"sessionTimeoutMinutes":20}"#;

/// One generated event: gap since the previous one, type and a parameter.
#[derive(Clone, Debug)]
struct Step {
    gap_ms: i64,
    kind: u8,
    param: u8,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let gap = prop_oneof![4 => 0i64..120_000, 1 => 0i64..7_200_000, 1 => -5_000i64..0];
    prop::collection::vec(
        (gap, 0u8..13, any::<u8>()).prop_map(|(gap_ms, kind, param)| Step { gap_ms, kind, param }),
        0..120,
    )
}

fn events(steps: &[Step]) -> Vec<String> {
    let mut ts = START;
    steps
        .iter()
        .map(|s| {
            ts = (ts + s.gap_ms).max(START);
            let p = s.param;
            let body = match s.kind {
                0 => format!(r#""type":"page_view","support":{}"#, p % 2 == 0),
                1 => r#""type":"chat_button_impression""#.to_string(),
                2 => r#""type":"chat_button_click""#.to_string(),
                3 => r#""type":"chat_open""#.to_string(),
                4 => format!(r#""type":"availability","online":{}"#, p % 3 != 0),
                5 => r#""type":"chat_started""#.to_string(),
                6 => r#""type":"customer_message""#.to_string(),
                7 => r#""type":"agent_message""#.to_string(),
                8 => {
                    let resolved = ["", r#","resolved":true"#, r#","resolved":false"#][usize::from(p % 3)];
                    format!(r#""type":"chat_ended"{resolved},"transferred":{},"escalated":{}"#, p & 4 != 0, p & 8 != 0)
                }
                9 => {
                    let (kind, range) = [("csat", 5), ("nps", 11), ("ces", 7)][usize::from(p % 3)];
                    let low = if kind == "nps" { 0 } else { 1 };
                    format!(r#""type":"survey","kind":"{kind}","score":{}"#, low + i32::from(p / 3) % range)
                }
                10 => format!(
                    r#""type":"conversion","goal":"{}","value":{}.{}"#,
                    ["purchase", "signup"][usize::from(p % 2)],
                    p,
                    p % 100
                ),
                11 => format!(r#""type":"tag","name":"{}""#, ["complaint", "refund"][usize::from(p % 2)]),
                _ => r#""type":"page_view","support":true"#.to_string(),
            };
            format!(r#"{{{body},"ts":{ts}}}"#)
        })
        .collect()
}

fn engine() -> NativeEngine {
    NativeEngine::from_config_json(CONFIG.as_bytes()).unwrap()
}

/// Feeds `events` to one engine, taking a report at each cut.
fn reports_at_cuts(events: &[String], cuts: &[usize]) -> (NativeEngine, Vec<Report>) {
    let mut engine = engine();
    let mut reports = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if cuts.contains(&i) {
            reports.push(engine.take_report(ReportId([i as u8; 16])));
        }
        engine.track_json(event.as_bytes()).unwrap();
    }
    reports.push(engine.take_report(ReportId([255; 16])));
    (engine, reports)
}

fn merged(a: &Report, b: &Report) -> Report {
    let mut m = a.clone();
    m.merge(b).unwrap();
    m
}

fn without_id(r: &Report) -> Report {
    Report { id: None, ..r.clone() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn merge_is_associative_commutative_with_identity(a in steps(), b in steps(), c in steps()) {
        let report = |s: &[Step]| reports_at_cuts(&events(s), &[]).1.pop().unwrap();
        let (a, b, c) = (report(&a), report(&b), report(&c));
        prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        let identity = Report::empty("prop", 45);
        prop_assert_eq!(merged(&a, &identity), without_id(&a));
        prop_assert_eq!(merged(&identity, &a), without_id(&a));
    }

    #[test]
    fn reports_cut_anywhere_merge_to_the_engines_kpis(
        steps in steps(),
        cuts in prop::collection::vec(0usize..120, 0..6),
        order in any::<u64>(),
    ) {
        let events = events(&steps);
        let (engine, mut reports) = reports_at_cuts(&events, &cuts);
        // Merge in a scrambled order.
        let n = reports.len();
        for i in (1..n).rev() {
            reports.swap(i, (order as usize ^ i.wrapping_mul(2_654_435_761)) % (i + 1));
        }
        let total = reports.iter().skip(1).fold(reports[0].clone(), |acc, r| merged(&acc, r));
        prop_assert_eq!(kpis_json(&total), engine.kpis_json());
        // The same through JSON text, as the collector does it.
        let text = reports.iter().map(Report::encode).reduce(|a, b| support_kpi::merge_reports(a.as_bytes(), b.as_bytes()).unwrap()).unwrap();
        prop_assert_eq!(support_kpi::kpis_from_report(text.as_bytes()).unwrap(), engine.kpis_json());
    }

    #[test]
    fn reports_round_trip_through_json(steps in steps(), cuts in prop::collection::vec(0usize..120, 0..3)) {
        for report in reports_at_cuts(&events(&steps), &cuts).1 {
            prop_assert_eq!(Report::decode(report.encode().as_bytes()).unwrap(), report);
        }
    }

    #[test]
    fn sketch_quantiles_are_within_the_relative_error(durations in prop::collection::vec(0i64..3_000_000_000, 1..300)) {
        let mut sketch = Sketch::default();
        for &d in &durations {
            sketch.record(d);
        }
        let mut sorted: Vec<i64> = durations.iter().map(|&d| d.min(support_kpi::sketch::MAX_MS)).collect();
        sorted.sort_unstable();
        for permille in [1, 500, 900, 990, 1000] {
            let rank = ((permille * sorted.len() as i64 + 999) / 1000).max(1) as usize;
            let truth = sorted[rank - 1] as f64;
            let estimate = sketch.quantile_ms(permille).unwrap();
            prop_assert!((estimate - truth).abs() <= truth * RELATIVE_ERROR, "p{} {} vs {}", permille, estimate, truth);
        }
        let mean = sorted.iter().sum::<i64>() as f64 / sorted.len() as f64;
        prop_assert!((sketch.mean_ms().unwrap() - mean).abs() < 1e-6 * mean.max(1.0));
    }
}
