//! Durations in a mergeable log-linear histogram with a fixed relative error.
//!
//! Milliseconds below 128 get a bucket each; above, every power of two is
//! split into 64 equal buckets. A bucket's midpoint is within 1/128 (0.79 %)
//! of every value in it, so every quantile is reported within 0.79 % of a
//! true sample value. Buckets are integers that merge by addition, so merged
//! sketches are exactly the sketch of all the durations.

use crate::counters::{MAX_COUNT, add, read_count};
use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::tape::Tape;
use alloc::vec::Vec;

/// Bound on the relative error of every quantile (1/128).
pub const RELATIVE_ERROR: f64 = 1.0 / 128.0;

/// Longest duration recorded; longer ones count as this (30 days).
pub const MAX_MS: i64 = 30 * 24 * 3_600_000;

const SUB_BITS: u32 = 6;
const EXACT_BELOW: u64 = 2 << SUB_BITS;

/// Number of buckets needed up to [`MAX_MS`].
pub const BUCKETS: usize = bucket_of(MAX_MS as u64) + 1;

const fn bucket_of(ms: u64) -> usize {
    if ms < EXACT_BELOW {
        return ms as usize;
    }
    let shift = 63 - ms.leading_zeros() - SUB_BITS;
    ((shift as u64) << SUB_BITS) as usize + (ms >> shift) as usize
}

/// The midpoint of bucket `index`, in milliseconds.
fn midpoint_of(index: usize) -> f64 {
    let index = index as u64;
    if index < EXACT_BELOW {
        return index as f64;
    }
    let shift = (index >> SUB_BITS) - 1;
    let lower = ((index & ((1 << SUB_BITS) - 1)) + (1 << SUB_BITS)) << shift;
    lower as f64 + ((1u64 << shift) - 1) as f64 / 2.0
}

/// A histogram of durations plus their exact sum.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sketch {
    /// Count per bucket, up to the highest bucket used.
    counts: Vec<i64>,
    /// Sum of all durations in milliseconds, for an exact mean.
    sum_ms: i64,
}

impl Sketch {
    /// Records one duration; negative ones (out-of-order events) count as 0.
    pub fn record(&mut self, ms: i64) {
        let ms = ms.clamp(0, MAX_MS);
        let index = bucket_of(ms as u64);
        if self.counts.len() <= index {
            self.counts.resize(index + 1, 0);
        }
        if let Some(count) = self.counts.get_mut(index) {
            *count = add(*count, 1);
        }
        self.sum_ms = add(self.sum_ms, ms);
    }

    /// Adds all of `other`'s durations to this sketch.
    pub fn merge(&mut self, other: &Sketch) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (mine, theirs) in self.counts.iter_mut().zip(&other.counts) {
            *mine = add(*mine, *theirs);
        }
        self.sum_ms = add(self.sum_ms, other.sum_ms);
    }

    /// Number of durations recorded.
    pub fn count(&self) -> i64 {
        self.counts.iter().fold(0, |total, &c| add(total, c))
    }

    /// Sum of all durations in milliseconds.
    pub fn sum_ms(&self) -> i64 {
        self.sum_ms
    }

    /// Mean duration in milliseconds, `None` when empty.
    pub fn mean_ms(&self) -> Option<f64> {
        let count = self.count();
        (count > 0).then(|| self.sum_ms as f64 / count as f64)
    }

    /// The nearest-rank quantile `permille`/1000 in milliseconds, `None` when empty.
    pub fn quantile_ms(&self, permille: i64) -> Option<f64> {
        let count = self.count();
        if count <= 0 {
            return None;
        }
        let rank = ((permille * count + 999) / 1000).max(1);
        let mut seen = 0;
        for (index, &c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return Some(midpoint_of(index));
            }
        }
        None
    }

    /// Non-empty buckets as (midpoint in ms, count), shortest first.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, i64)> + '_ {
        self.counts.iter().enumerate().filter(|(_, c)| **c != 0).map(|(i, c)| (midpoint_of(i), *c))
    }

    /// Writes or reads the sketch on a state tape: the sum, then the non-empty buckets.
    pub fn visit(&mut self, tape: &mut dyn Tape) {
        tape.int(&mut self.sum_ms, 0, MAX_COUNT);
        let buckets: Vec<(i64, i64)> =
            self.counts.iter().enumerate().filter(|(_, c)| **c != 0).map(|(i, c)| (i as i64, *c)).collect();
        let len = tape.len(buckets.len(), BUCKETS);
        let mut counts = Vec::new();
        for i in 0..len {
            let (mut index, mut count) = buckets.get(i).copied().unwrap_or_default();
            tape.int(&mut index, 0, BUCKETS as i64 - 1);
            tape.int(&mut count, 1, MAX_COUNT);
            let index = index as usize;
            if counts.len() <= index {
                counts.resize(index + 1, 0);
            }
            if let Some(slot) = counts.get_mut(index) {
                *slot = add(*slot, count);
            }
        }
        self.counts = counts;
    }

    /// Writes `{"sumMs":…,"buckets":[[index,count],…]}`.
    pub fn write(&self, w: &mut Writer) {
        w.begin_object();
        w.key("sumMs");
        w.int(self.sum_ms);
        w.key("buckets");
        w.begin_array();
        for (index, &count) in self.counts.iter().enumerate().filter(|(_, c)| **c != 0) {
            w.begin_array();
            w.int(index as i64);
            w.int(count);
            w.end_array();
        }
        w.end_array();
        w.end_object();
    }

    /// Reads what [`Sketch::write`] wrote; bucket indexes must increase.
    pub fn read(r: &mut Reader, path: &Path) -> Result<Sketch, Error> {
        let mut sketch = Sketch::default();
        r.members(path, |r, key| {
            if key.is("sumMs") {
                let at = path.key("sumMs");
                sketch.sum_ms = read_count(r.token(&at)?, &at, false)?;
                Ok(())
            } else if key.is("buckets") {
                read_buckets(r, &path.key("buckets"), &mut sketch.counts)
            } else {
                Err(crate::json::unknown_key(path, key))
            }
        })?;
        Ok(sketch)
    }
}

fn read_buckets(r: &mut Reader, path: &Path, counts: &mut Vec<i64>) -> Result<(), Error> {
    r.items(path, |r, n| {
        let pair = path.index(n);
        let mut index = None;
        r.items(&pair, |r, i| {
            let at = pair.index(i);
            match i {
                0 => {
                    let value =
                        r.integer(&at, 0, BUCKETS as i64 - 1, "must be a bucket index from 0 to 1677")? as usize;
                    if value < counts.len() {
                        return Err(Error::invalid(&at, "must be greater than the previous bucket index"));
                    }
                    index = Some(value);
                }
                1 => {
                    let count = read_count(r.token(&at)?, &at, false)?;
                    if count == 0 {
                        return Err(Error::invalid(&at, "must be at least 1: empty buckets are left out"));
                    }
                    if let Some(index) = index {
                        counts.resize(index, 0);
                        counts.push(count);
                    }
                }
                _ => return Err(Error::invalid(&at, "is extra: a bucket is [index, count]")),
            }
            Ok(())
        })?;
        if counts.len() != index.map_or(usize::MAX, |i| i + 1) {
            return Err(Error::invalid(&pair, "must be a pair [index, count]"));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    #[test]
    fn buckets_are_contiguous_and_within_the_error_bound() {
        let mut previous = 0;
        for ms in 1..200_000u64 {
            let index = bucket_of(ms);
            assert!(index == previous || index == previous + 1, "gap at {ms}");
            previous = index;
            let error = (midpoint_of(index) - ms as f64).abs() / ms as f64;
            assert!(error <= RELATIVE_ERROR, "{ms} ms is {error} away from its bucket midpoint");
        }
        assert_eq!(BUCKETS, 1678);
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let mut s = Sketch::default();
        assert_eq!(s.quantile_ms(500), None);
        for ms in [10, 20, 30, 40] {
            s.record(ms);
        }
        assert_eq!(s.quantile_ms(500), Some(20.0));
        assert_eq!(s.quantile_ms(990), Some(40.0));
        assert_eq!(s.mean_ms(), Some(25.0));
        s.record(-5);
        assert_eq!(s.quantile_ms(1), Some(0.0), "negative durations count as zero");
    }

    #[test]
    fn merge_equals_recording_everything() {
        let (mut a, mut b, mut all) = (Sketch::default(), Sketch::default(), Sketch::default());
        for (i, ms) in [5, 70_000, 1_000, 999_999, 42, 61_000].into_iter().enumerate() {
            if i % 2 == 0 {
                a.record(ms)
            } else {
                b.record(ms)
            }
            all.record(ms);
        }
        a.merge(&b);
        assert_eq!(a, all);
    }

    #[test]
    fn round_trips_and_rejects_unsorted_buckets() {
        let mut s = Sketch::default();
        s.record(61_000);
        s.record(2_000);
        let mut w = Writer::new();
        s.write(&mut w);
        let text = w.into_string();
        assert_eq!(text, r#"{"sumMs":63000,"buckets":[[381,1],[695,1]]}"#);
        let path = Path::root("s");
        let read = |json: &str| -> Result<Sketch, String> {
            Sketch::read(&mut Reader::new(json.as_bytes()), &path.key("firstResponse")).map_err(|e| e.message())
        };
        assert_eq!(read(&text).unwrap(), s);
        assert_eq!(
            read(r#"{"sumMs":1,"buckets":[[5,1],[5,1]]}"#).unwrap_err(),
            "firstResponse.buckets[1][0]: must be greater than the previous bucket index"
        );
        assert_eq!(
            read(r#"{"sumMs":1,"buckets":[[5]]}"#).unwrap_err(),
            "firstResponse.buckets[0]: must be a pair [index, count]"
        );
        assert_eq!(
            read(r#"{"sumMs":1,"buckets":[[5000,1]]}"#).unwrap_err(),
            "firstResponse.buckets[0][0]: must be a bucket index from 0 to 1677"
        );
        // Found by fuzzing: an empty bucket read back made decode(encode(r)) != r.
        assert_eq!(
            read(r#"{"sumMs":0,"buckets":[[3,0]]}"#).unwrap_err(),
            "firstResponse.buckets[0][1]: must be at least 1: empty buckets are left out"
        );
    }
}
