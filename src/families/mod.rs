//! The KPI families of docs/kpis.md section 2, one module each.
//!
//! Each family owns the aggregates it needs (counters, sketches, score
//! histograms), the rules by which the tracker's [`Fact`]s count in them, how
//! they merge, how they travel in a report and in a saved state, how they are
//! noised for differential privacy, and how its KPIs are derived from them:
//! all behind [`Family`]. This module holds that trait and the output shapes
//! the families share.

pub mod availability;
pub mod contribution;
pub mod engagement;
mod fact;
pub mod friendliness;
pub mod prevention;
pub mod productivity;
pub mod speed;
pub mod time;

use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::noise::Noiser;
use crate::sketch::Sketch;
use crate::tape::Tape;
pub use fact::{Fact, Rules};

/// Where a report member goes in the report's JSON object: every family's
/// counter array first, then the named and sketched details, then the
/// histograms (scores, hours of the week).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Positional counter arrays (`engagement`, `speed`, …).
    Counters,
    /// Duration sketches, tags and goals.
    Details,
    /// Score histograms and hours of the week.
    Histograms,
}

/// The parts in the order the report writes them.
pub const PARTS: [Part; 3] = [Part::Counters, Part::Details, Part::Histograms];

/// How a report member is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadMode {
    /// Counters and scores may be negative (a report with DP noise).
    pub signed: bool,
    /// Goals and tags are limited to [`crate::MAX_NAMES`] names.
    pub limited: bool,
}

/// The counts other families' KPIs divide by, gathered with [`Family::base`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Base {
    /// All page views.
    pub page_views: i64,
    /// Sessions.
    pub sessions: i64,
    /// Chats started.
    pub chats_started: i64,
    /// Chats started while chat was offline.
    pub offline_chats_started: i64,
    /// The service-level threshold the counts were made with.
    pub service_level_seconds: u32,
}

impl Base {
    /// Chats started while chat was online.
    pub fn online_chats(&self) -> i64 {
        self.chats_started - self.offline_chats_started
    }
}

/// A KPI family: its aggregates and everything done with them.
pub trait Family: Default {
    /// The L1 sensitivity of what [`Family::privatize`] releases: the sum of
    /// its counter caps, plus 2 per score histogram clipped to one rating.
    const SENSITIVITY: i64;

    /// Counts `fact` by this family's rules (most families ignore most facts).
    fn apply(&mut self, fact: &Fact, rules: &Rules);

    /// Adds all of `other`.
    fn merge(&mut self, other: &Self);

    /// Writes or reads the aggregates on a saved-state tape.
    fn visit(&mut self, tape: &mut dyn Tape);

    /// Writes this family's report members of `part` (none when empty).
    fn write_members(&self, part: Part, w: &mut Writer);

    /// Reads the report member `key` if it is one of this family's; false otherwise.
    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, mode: ReadMode) -> Result<bool, Error>;

    /// Makes the aggregates differentially private: clips and noises what
    /// has a small sensitivity, drops the rest.
    fn privatize(&mut self, noise: &mut Noiser);

    /// Adds what this family knows to the KPI denominators.
    fn base(&self, _base: &mut Base) {}

    /// Calls `each` with every count array of its report members, under the member's name.
    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64]));

    /// Calls `each` with every duration sketch of its report members, under the member's name.
    fn each_sketch(&self, _each: &mut dyn FnMut(&str, &Sketch)) {}

    /// Writes this family's members of the KPI object.
    fn write_kpis(&self, base: &Base, w: &mut Writer);
}

/// Implements [`Family`] for a family that is one `counters!` struct with
/// per-counter `CAPS`, reported as the member `$key`: merging, the state
/// tape, the report member and DP clipping come from the counters; `$rules`
/// are the family's own methods (`apply`, `write_kpis`, maybe `base`).
macro_rules! counters_family {
    ($type:ident, $key:literal, { $($rules:tt)* }) => {
        impl $crate::families::Family for $type {
            const SENSITIVITY: i64 = $crate::counters::caps_sum(&CAPS);

            fn merge(&mut self, other: &Self) {
                $type::merge(self, other);
            }

            fn visit(&mut self, tape: &mut dyn $crate::tape::Tape) {
                $type::visit(self, tape);
            }

            fn write_members(&self, part: $crate::families::Part, w: &mut $crate::json::Writer) {
                if part == $crate::families::Part::Counters {
                    self.write_member(w, $key);
                }
            }

            fn read_member(
                &mut self,
                key: &str,
                r: &mut $crate::json::Reader,
                path: &$crate::json::Path,
                mode: $crate::families::ReadMode,
            ) -> Result<bool, $crate::error::Error> {
                if key != $key {
                    return Ok(false);
                }
                *self = $type::read(r, &path.key(key), mode.signed)?;
                Ok(true)
            }

            fn privatize(&mut self, noise: &mut $crate::noise::Noiser) {
                noise.counters(&mut self.counts_mut(), &CAPS);
            }

            fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
                each($key, &self.values());
            }

            $($rules)*
        }
    };
}
pub(crate) use counters_family;

/// Writes `key: { … }` with `members` inside.
pub fn section(w: &mut Writer, key: &str, members: impl FnOnce(&mut Writer)) {
    w.key(key);
    w.begin_object();
    members(w);
    w.end_object();
}

/// Writes `counts: { name: value, … }` with the camelCase form of each
/// snake_case counter name, then the `extra` members as they are.
pub fn raw_counts(w: &mut Writer, names: &[&str], values: &[i64], extra: &[(&str, i64)]) {
    w.key("counts");
    w.begin_object();
    camel_counts(w, names, values);
    for &(key, value) in extra {
        w.key(key);
        w.int(value);
    }
    w.end_object();
}

/// Writes `name: value` members, each name the camelCase form of a
/// snake_case counter name (the KPI object's `counts` and `byHour`).
pub fn camel_counts(w: &mut Writer, names: &[&str], values: &[i64]) {
    let mut key = alloc::string::String::new();
    for (name, &value) in names.iter().zip(values) {
        key.clear();
        push_camel(&mut key, name);
        w.key(&key);
        w.int(value);
    }
}

/// Appends the camelCase form of a snake_case name (`support_page_views`:
/// `supportPageViews`); inlined into [`camel_counts`], its one caller in
/// Wasm, which keeps the npm module's code as it was.
#[inline(always)]
pub fn push_camel(out: &mut alloc::string::String, snake: &str) {
    let mut upper = false;
    for c in snake.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
}

/// Writes `key: { num, den, value }`; `value` is null when `den` is not positive.
pub fn ratio(w: &mut Writer, key: &str, num: i64, den: i64) {
    w.key(key);
    w.begin_object();
    w.key("num");
    w.int(num);
    write_den_and_value(w, num as f64, den);
}

/// Like [`ratio`] for a numerator in thousandths (money), written as a decimal.
pub fn milli_ratio(w: &mut Writer, key: &str, num_milli: i64, den: i64) {
    w.key(key);
    w.begin_object();
    w.key("num");
    w.fixed(num_milli, 3);
    write_den_and_value(w, num_milli as f64 / 1000.0, den);
}

fn write_den_and_value(w: &mut Writer, num: f64, den: i64) {
    w.key("den");
    w.int(den);
    w.key("value");
    if den > 0 {
        w.decimal(num / den as f64);
    } else {
        w.null();
    }
    w.end_object();
}

/// Writes `key: { value, count }` with the mean `sum / count` (null when `count` is not positive).
pub fn mean(w: &mut Writer, key: &str, sum: i64, count: i64) {
    w.key(key);
    w.begin_object();
    w.key("value");
    if count > 0 {
        w.decimal(sum as f64 / count as f64);
    } else {
        w.null();
    }
    w.key("count");
    w.int(count);
    w.end_object();
}

/// Writes `key: { count, mean, p50, p90, p99 }` in seconds (null statistics when empty).
pub fn distribution(w: &mut Writer, key: &str, sketch: &Sketch) {
    let seconds = |ms: Option<f64>, w: &mut Writer| match ms {
        Some(ms) => w.decimal(ms / 1000.0),
        None => w.null(),
    };
    w.key(key);
    w.begin_object();
    w.key("count");
    w.int(sketch.count());
    w.key("mean");
    seconds(sketch.mean_ms(), w);
    for (name, permille) in [("p50", 500), ("p90", 900), ("p99", 990)] {
        w.key(name);
        seconds(sketch.quantile_ms(permille), w);
    }
    w.end_object();
}
