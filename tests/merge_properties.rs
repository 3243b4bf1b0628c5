//! Property tests: reports, exact or noised (signed counts), merge
//! commutatively with an identity, and associatively while no count passes
//! ±MAX_COUNT (past it each merge clamps, and the order of merges can change a
//! clamped total by at most the amounts clamped); reports cut anywhere from
//! the streams of any number of browsers, merged in any order (as JS objects,
//! or as JSON text like the collector), give exactly the KPIs of one engine
//! fed all events; sketch quantiles stay within the stated error.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
mod merge_law;

use merge_law::{all_but_counts, counts};
use support_kpi::dp::RandomSource;
use support_kpi::schema::{EVENT_TYPES, EventSchema};
use support_kpi::sketch::{RELATIVE_ERROR, Sketch};
use support_kpi::{MAX_COUNT, NativeEngine, Report, ReportId, kpis_json};

/// 2026-11-23T00:00:00Z.
const START: i64 = 1_795_392_000_000;

const CONFIG: &str = r#"{"siteKey":"prop","timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]],"tue":[["09:00","17:30"]]},
  "goals":["purchase","signup"],"tags":["complaint","refund"],"serviceLevelSeconds":45,"sessionTimeoutMinutes":20}"#;

/// One generated event: gap since the previous one, type and a parameter.
#[derive(Clone, Debug)]
struct Step {
    gap_ms: i64,
    kind: EventSchema,
    param: u8,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let gap = prop_oneof![4 => 0i64..120_000, 1 => 0i64..7_200_000, 1 => -5_000i64..0];
    prop::collection::vec(
        (gap, prop::sample::select(EVENT_TYPES.to_vec()), any::<u8>()).prop_map(|(gap_ms, kind, param)| Step {
            gap_ms,
            kind,
            param,
        }),
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
            let fields = match s.kind.name {
                "page_view" => format!(r#","support":{}"#, p % 2 == 0),
                "availability" => format!(r#","online":{}"#, p % 3 != 0),
                "chat_ended" => {
                    let resolved = ["", r#","resolved":true"#, r#","resolved":false"#][usize::from(p % 3)];
                    format!(r#"{resolved},"transferred":{},"escalated":{}"#, p & 4 != 0, p & 8 != 0)
                }
                "survey" => {
                    let (kind, range) = [("csat", 5), ("nps", 11), ("ces", 7)][usize::from(p % 3)];
                    let low = if kind == "nps" { 0 } else { 1 };
                    format!(r#","kind":"{kind}","score":{}"#, low + i32::from(p / 3) % range)
                }
                "conversion" => {
                    format!(r#","goal":"{}","value":{}.{}"#, ["purchase", "signup"][usize::from(p % 2)], p, p % 100)
                }
                "tag" => format!(r#","name":"{}""#, ["complaint", "refund"][usize::from(p % 2)]),
                name => {
                    assert!(s.kind.fields.is_empty(), "{name} has fields: give them values here");
                    String::new()
                }
            };
            let body = format!(r#""type":"{}"{fields}"#, s.kind.name);
            format!(r#"{{{body},"ts":{ts}}}"#)
        })
        .collect()
}

fn engine() -> NativeEngine {
    engine_with(None)
}

/// How an engine sends its reports: exact (`None`), or with `dpEpsilon` =
/// ε / 1000 and noise drawn from random bits seeded with the `u64`.
type Privacy = Option<(u32, u64)>;

/// Exact half the time, else noised with ε from 0.1 to 10 (noised reports
/// have signed counts: ±12 at ε = 10 to ±1,220 at ε = 0.1).
fn privacy() -> impl Strategy<Value = Privacy> {
    prop_oneof![1 => Just(None), 1 => (100u32..=10_000, any::<u64>()).prop_map(Some)]
}

/// An engine of [`CONFIG`], with `dpEpsilon` when `privacy` asks for noise.
fn engine_with(privacy: Privacy) -> NativeEngine {
    let config = match privacy {
        None => CONFIG.to_owned(),
        Some((milli, _)) => CONFIG.replacen('{', &format!(r#"{{"dpEpsilon":{}.{:03},"#, milli / 1000, milli % 1000), 1),
    };
    let engine = NativeEngine::from_config_json(config.as_bytes()).unwrap();
    assert_eq!(engine.config().dp_epsilon_milli, privacy.map(|(milli, _)| milli));
    engine
}

/// SplitMix64: the noise's random bits, reproducible from a seed.
struct SplitMix(u64);

impl RandomSource for SplitMix {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let z = (self.0 ^ (self.0 >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Feeds `events` to one engine, taking a report at each cut.
fn reports_at_cuts(events: &[String], cuts: &[usize]) -> (NativeEngine, Vec<Report>) {
    sent_at_cuts(events, cuts, None)
}

/// Feeds `events` to one engine sending with `privacy`, taking the report it
/// sends at each cut.
fn sent_at_cuts(events: &[String], cuts: &[usize], privacy: Privacy) -> (NativeEngine, Vec<Report>) {
    let mut engine = engine_with(privacy);
    let mut random = SplitMix(privacy.map_or(0, |(_, seed)| seed));
    let mut reports = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if cuts.contains(&i) {
            reports.push(engine.take_outgoing_report(ReportId([i as u8; 16]), &mut random));
        }
        engine.track_json(event.as_bytes()).unwrap();
    }
    reports.push(engine.take_outgoing_report(ReportId([255; 16]), &mut random));
    (engine, reports)
}

/// The one report an engine sending with `privacy` sends for `steps`.
fn sent_report(steps: &[Step], privacy: Privacy) -> Report {
    let report = sent_at_cuts(&events(steps), &[], privacy).1.pop().unwrap();
    assert_eq!(report.noise().is_some(), privacy.is_some() && !report.is_empty());
    report
}

/// Merges `reports` in a random order given by `seed`: two random reports of
/// the pool are merged and the result goes back, until one is left.
fn merge_in_random_order(mut reports: Vec<Report>, mut seed: u64) -> Report {
    let mut pick = |n: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % n
    };
    while reports.len() > 1 {
        let a = reports.swap_remove(pick(reports.len()));
        let b = reports.swap_remove(pick(reports.len()));
        reports.push(if pick(2) == 0 { merged(&a, &b) } else { merged(&b, &a) });
    }
    reports.pop().unwrap()
}

/// One browser's events: an availability first (a fresh device knows
/// nothing), then its generated steps.
fn browser_events(steps: &[Step], online: bool) -> Vec<String> {
    let mut all = vec![format!(r#"{{"type":"availability","online":{online},"ts":{START}}}"#)];
    all.extend(events(steps));
    all
}

/// Moves each event's `ts` later by `shift_ms`.
fn shifted(events: &[String], shift_ms: i64) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            let (head, ts) = e.rsplit_once(r#""ts":"#).unwrap();
            let ts: i64 = ts.trim_end_matches('}').parse().unwrap();
            format!(r#"{head}"ts":{}}}"#, ts + shift_ms)
        })
        .collect()
}

/// Engagement counts of a noised report: small, near ±MAX_COUNT, or anywhere between.
fn signed_counts() -> impl Strategy<Value = Vec<i64>> {
    let count = prop_oneof![
        -1_000i64..=1_000,
        MAX_COUNT - 1_000..=MAX_COUNT,
        -MAX_COUNT..=1_000 - MAX_COUNT,
        -MAX_COUNT..=MAX_COUNT,
    ];
    prop::collection::vec(count, 1..4)
}

fn merged(a: &Report, b: &Report) -> Report {
    let mut m = a.clone();
    m.merge(b).unwrap();
    m
}

fn without_id(r: &Report) -> Report {
    let mut r = r.clone();
    r.set_id(None);
    r
}

/// A noised report of site `prop` holding only `engagement` counts.
fn noised(engagement: &[i64]) -> Report {
    decoded(engagement, r#","noise":{"reports":1,"variance":14792}"#)
}

/// A report of site `prop` holding only `engagement` counts, with `members` too.
fn decoded(engagement: &[i64], members: &str) -> Report {
    let counts: Vec<String> = engagement.iter().map(i64::to_string).collect();
    let json = format!(
        r#"{{"v":1,"site":"prop","serviceLevelSeconds":45,"period":{{"from":{START},"to":{}}}{members},"engagement":[{}]}}"#,
        START + 3_600_000,
        counts.join(",")
    );
    Report::decode(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {}", e.message()))
}

/// The merge law ([`merge_law::check`]) on `a`, `b` and `c`, and commutativity.
fn check_merge_law(a: &Report, b: &Report, c: &Report) -> Result<(), TestCaseError> {
    prop_assert_eq!(merged(a, b), merged(b, a), "merge is commutative");
    let (left, right) = (merged(&merged(a, b), c), merged(a, &merged(b, c)));
    merge_law::check(a, b, c, &left, &right).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Reports of engines sending exact or noised counts (signed, far inside
    /// ±MAX_COUNT), in any mix: both orders agree exactly.
    #[test]
    fn merge_is_associative_commutative_with_identity(
        (a, b, c) in ((steps(), privacy()), (steps(), privacy()), (steps(), privacy())),
    ) {
        let (a, b, c) = (sent_report(&a.0, a.1), sent_report(&b.0, b.1), sent_report(&c.0, c.1));
        prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        let identity = Report::empty("prop", 45);
        prop_assert_eq!(merged(&a, &identity), without_id(&a));
        prop_assert_eq!(merged(&identity, &a), without_id(&a));
    }

    /// Noised reports with counts anywhere in ±MAX_COUNT, many near the
    /// bounds: the merge law of [`check_merge_law`] (exact while no merge
    /// clamps, within the amounts clamped past it), and the identity.
    #[test]
    fn merge_law_holds_up_to_and_past_max_count((a, b, c) in (signed_counts(), signed_counts(), signed_counts())) {
        let (a, b, c) = (noised(&a), noised(&b), noised(&c));
        check_merge_law(&a, &b, &c)?;
        prop_assert_eq!(merged(&a, &Report::empty("prop", 45)), without_id(&a));
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

    /// Browsers are devices: each has its own engine, sessions and memory,
    /// takes reports at random cuts and closes its chat when the visitor
    /// leaves. The truth is one engine fed every browser's events in turn,
    /// the visitor leaving after each. A browser's events span at most 10
    /// days and it is left a day later; the next starts 20 days after it,
    /// beyond the session timeout and the 7-day attribution window, so that
    /// one engine cannot link browsers, just as devices cannot.
    #[test]
    fn many_browsers_merged_in_any_order_give_one_engines_kpis(
        browsers in prop::collection::vec((steps(), prop::collection::vec(0usize..120, 0..4), any::<bool>()), 1..9),
        order in any::<u64>(),
    ) {
        const DAY_MS: i64 = 86_400_000;
        const WINDOW_MS: i64 = 20 * DAY_MS;
        let mut truth = engine();
        let mut reports = Vec::new();
        for (n, (steps, cuts, online)) in browsers.iter().enumerate() {
            let events = shifted(&browser_events(steps, *online), n as i64 * WINDOW_MS);
            let (mut device, mut cut_reports) = reports_at_cuts(&events, cuts);
            let left_at = START + n as i64 * WINDOW_MS + 11 * DAY_MS;
            device.close_chat(left_at);
            cut_reports.push(device.take_report(ReportId([254; 16])));
            reports.extend(cut_reports);
            for event in &events {
                truth.track_json(event.as_bytes()).unwrap();
            }
            truth.close_chat(left_at);
        }
        let text: Vec<String> = reports.iter().map(Report::encode).collect();
        let total = merge_in_random_order(reports, order);
        prop_assert_eq!(kpis_json(&total), truth.kpis_json());
        // As the collector does it: JSON text, decoded and merged in another order.
        let decoded: Vec<Report> = text.iter().map(|t| Report::decode(t.as_bytes()).unwrap()).collect();
        let total = merge_in_random_order(decoded, order.rotate_left(17));
        prop_assert_eq!(kpis_json(&total), truth.kpis_json());
    }

    #[test]
    fn reports_round_trip_through_json(
        steps in steps(),
        cuts in prop::collection::vec(0usize..120, 0..3),
        privacy in privacy(),
    ) {
        for report in sent_at_cuts(&events(&steps), &cuts, privacy).1 {
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

/// The boundary the docs state: three noised reports with engagement counts
/// 2^53−1, 1 and −1. Merging is still commutative, but `(a + b) + c` clamps
/// `a + b` to 2^53−1 and gives 2^53−2, while `a + (b + c)` gives 2^53−1: both
/// within ±MAX_COUNT, apart by the 1 clamped. Short of the clamp (2^53−2, 1,
/// −1) and for exact reports (never negative: 2^53−1, 1, 1) the order does not
/// matter.
#[test]
fn merging_past_max_count_clamps_so_the_order_can_matter() {
    let engagement = |r: &Report| counts(r)["engagement"][0];
    let (a, b, c) = (noised(&[MAX_COUNT]), noised(&[1]), noised(&[-1]));
    let (left, right) = (merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
    assert_eq!((engagement(&left), engagement(&right)), (9_007_199_254_740_990, 9_007_199_254_740_991));
    assert_eq!(engagement(&right) - engagement(&left), 1, "apart by what a + b clamped");
    assert_eq!(all_but_counts(&left), all_but_counts(&right));
    assert_eq!(merged(&a, &b), merged(&b, &a));
    check_merge_law(&a, &b, &c).unwrap();

    let (a, b, c) = (noised(&[MAX_COUNT - 1]), noised(&[1]), noised(&[-1]));
    assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)), "no merge clamps");
    assert_eq!(engagement(&merged(&merged(&a, &b), &c)), MAX_COUNT - 1);

    let exact = |count: i64| decoded(&[count], "");
    let (a, b, c) = (exact(MAX_COUNT), exact(1), exact(1));
    assert_eq!(a.noise(), None);
    let left = merged(&merged(&a, &b), &c);
    assert_eq!(left, merged(&a, &merged(&b, &c)), "non-negative counts clamp associatively");
    assert_eq!(engagement(&left), MAX_COUNT);
}

/// The generator's noised reports do carry negative counts.
#[test]
fn noised_engine_reports_have_negative_counts() {
    let steps: Vec<Step> = (0..3).map(|_| Step { gap_ms: 1_000, kind: EVENT_TYPES[0], param: 0 }).collect();
    let negative = (0..20)
        .map(|seed| sent_report(&steps, Some((1_000, seed))))
        .filter(|r| counts(r).values().flatten().any(|&count| count < 0))
        .count();
    assert!(negative > 10, "{negative} of 20 noised reports have a negative count");
}
