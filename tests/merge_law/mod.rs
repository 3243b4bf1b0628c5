//! The merge law of reports, one checker for the property tests
//! (`tests/merge_properties.rs`) and the `report_decoder_merge` fuzz target
//! (which includes this file by path): `(a + b) + c` and `a + (b + c)` agree
//! exactly while no merge clamps a count past ±MAX_COUNT; past it each count
//! is the exact sum clamped, off by at most what its first merge clamped, and
//! everything but the counts still agrees.

use std::collections::BTreeMap;
use support_kpi::{MAX_COUNT, Report};

/// Every count of `r` by member (`hours.N` for hour N of the week).
pub fn counts(r: &Report) -> BTreeMap<String, Vec<i64>> {
    let mut counts = BTreeMap::new();
    r.each_counts(&mut |member, values| {
        counts.insert(member.to_owned(), values.to_vec());
    });
    counts
}

/// What a report holds besides its counts: period, noise, sketches, tags and goals.
pub fn all_but_counts(r: &Report) -> impl PartialEq + std::fmt::Debug {
    let mut sketches = Vec::new();
    r.each_sketch(&mut |member, sketch| sketches.push((member.to_owned(), sketch.clone())));
    let mut named = Vec::new();
    r.each_named(&mut |member, name, counts| named.push((member.to_owned(), name.to_owned(), counts.to_vec())));
    (r.period(), r.noise(), sketches, named)
}

/// How far `sum` lies beyond ±[`MAX_COUNT`]: what a merge giving it clamps.
fn clamped(sum: i128) -> i128 {
    (sum.abs() - i128::from(MAX_COUNT)).max(0)
}

/// Checks the law on `left` = `(a + b) + c` and `right` = `a + (b + c)`;
/// the error names the count or the part that breaks it.
pub fn check(a: &Report, b: &Report, c: &Report, left: &Report, right: &Report) -> Result<(), String> {
    let max = i128::from(MAX_COUNT);
    let (ca, cb, cc, cl, cr) = (counts(a), counts(b), counts(c), counts(left), counts(right));
    let at = |counts: &BTreeMap<String, Vec<i64>>, member: &str, i: usize| {
        i128::from(counts.get(member).and_then(|v| v.get(i)).copied().unwrap_or(0))
    };
    let mut first_merge_clamped = false;
    for (member, values) in ca.iter().chain(&cb).chain(&cc).chain(&cl).chain(&cr) {
        for i in 0..values.len() {
            let [x, y, z, l, r] = [&ca, &cb, &cc, &cl, &cr].map(|counts| at(counts, member, i));
            let exact = (x + y + z).clamp(-max, max);
            if (l - exact).abs() > clamped(x + y) {
                return Err(format!("(a+b)+c {member}[{i}] = {l}, exact sum clamped {exact}"));
            }
            if (r - exact).abs() > clamped(y + z) {
                return Err(format!("a+(b+c) {member}[{i}] = {r}, exact sum clamped {exact}"));
            }
            first_merge_clamped |= clamped(x + y) > 0 || clamped(y + z) > 0;
        }
    }
    if first_merge_clamped && all_but_counts(left) != all_but_counts(right) {
        return Err("merge order changed more than clamped counts".into());
    }
    if !first_merge_clamped && left != right {
        return Err("merge is not associative (and no merge clamped)".into());
    }
    Ok(())
}
