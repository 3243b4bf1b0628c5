//! Bytes as up to three reports, one per line (a single line is merged with
//! itself): each must decode or be refused with a field; decoded reports
//! round-trip, merge commutatively with the empty report as identity (up to
//! the id), and associatively while no count passes ±(2^53−1): past it each
//! merge clamps, and each order gives every count as the exact sum clamped,
//! off by at most what its first merge clamped (noised reports have signed
//! counts); the text API agrees with the struct API.

#![no_main]

use libfuzzer_sys::fuzz_target;
use support_kpi::{Report, kpis_from_report, kpis_json, merge_reports};
use support_kpi_fuzz::{check_kpis, check_report};

#[path = "../../tests/merge_law/mod.rs"]
mod merge_law;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let a_text = parts.next().unwrap_or_default();
    let b_text = parts.next().unwrap_or(a_text);
    let c_text = parts.next();

    let decode = |text: &[u8]| {
        let decoded = Report::decode(text);
        // The text API: kpis_from_report agrees with decode + kpis_json.
        match (&decoded, kpis_from_report(text)) {
            (Ok(report), Ok(kpis)) => assert_eq!(kpis, kpis_json(report)),
            (Err(a), Err(b)) => assert_eq!(*a, b),
            (a, b) => panic!("decode and kpis_from_report disagree: {a:?} vs {b:?}"),
        }
        if let Err(error) = &decoded {
            support_kpi_fuzz::check_error(error);
        }
        decoded
    };
    let a = decode(a_text);
    let b = decode(b_text);
    let c = c_text.map(decode);

    // merge_reports fails exactly when one side does not decode or they do not merge.
    let merged_text = merge_reports(a_text, b_text);
    let (Ok(a), Ok(b)) = (a, b) else {
        assert!(merged_text.is_err(), "merge_reports accepted a report that does not decode");
        return;
    };
    check_report(&a, false);
    check_report(&b, false);

    let merge = |x: &Report, y: &Report| {
        let mut merged = x.clone();
        let result = merged.merge(y);
        if result.is_err() {
            assert_eq!(merged, *x, "a failed merge changed the report");
        }
        result.map(|()| merged)
    };
    let without_id = |r: &Report| {
        let mut r = r.clone();
        r.set_id(None);
        r
    };

    // Identity: the empty report of the same site and threshold, on either side.
    let empty = Report::empty(a.site(), a.service_level_seconds());
    assert_eq!(merge(&a, &empty).expect("merges with its empty report"), without_id(&a));
    assert_eq!(merge(&empty, &a).expect("the empty report merges with it"), without_id(&a));

    // Commutativity, and the text API.
    let ab = merge(&a, &b);
    let ba = merge(&b, &a);
    assert_eq!(ab, ba, "merge is not commutative");
    match (&ab, &merged_text) {
        (Ok(ab), Ok(text)) => assert_eq!(*text, ab.encode()),
        (Err(x), Err(y)) => assert_eq!(x, y),
        (x, y) => panic!("merge and merge_reports disagree: {x:?} vs {y:?}"),
    }
    let Ok(ab) = ab else { return };
    assert_eq!(ab.id(), None, "a merged report keeps an id");
    check_report(&ab, false);
    check_kpis(&kpis_json(&ab), false);

    // Associativity, when a third report is given and all three merge: exact
    // while no merge clamps, within the amounts clamped past ±(2^53−1).
    if let Some(Ok(c)) = c {
        check_report(&c, false);
        if let (Ok(ab_c), Ok(bc)) = (merge(&ab, &c), merge(&b, &c)) {
            let a_bc = merge(&a, &bc).expect("a merges with b+c");
            merge_law::check(&a, &b, &c, &ab_c, &a_bc).unwrap_or_else(|e| panic!("{e}"));
        }
    }
});
