//! Named counters that merge by addition and travel as positional arrays.

use crate::error::Error;
use crate::json::{Path, Reader, Token, Writer, wrong_type};

/// Largest magnitude a count may have: counts stay exact as JS numbers.
pub const MAX_COUNT: i64 = (1 << 53) - 1;

/// Adds two counts, saturating at ±[`MAX_COUNT`].
///
/// Commutative always. Associative while no sum passes ±[`MAX_COUNT`]: then
/// every order gives the exact total. Past it each addition clamps, so with
/// signed counts (noised reports) the order can change a clamped total by the
/// amounts clamped: `(2^53−1 + 1) + −1` is 2^53−2, `2^53−1 + (1 + −1)` is
/// 2^53−1. Every order gives the exact total clamped to ±[`MAX_COUNT`], off by
/// at most what the earlier additions clamped; counts that are never negative
/// (exact reports) clamp associatively (the exact total, capped).
pub fn add(a: i64, b: i64) -> i64 {
    a.saturating_add(b).clamp(-MAX_COUNT, MAX_COUNT)
}

/// Counts one more (one shared copy: it is called from every family rule).
#[inline(never)]
pub fn bump(count: &mut i64) {
    *count = add(*count, 1);
}

/// Adds `other` into `into`, element by element.
pub fn add_all(into: &mut [&mut i64], other: &[i64]) {
    for (slot, value) in into.iter_mut().zip(other) {
        **slot = add(**slot, *value);
    }
}

/// Writes counts as a JSON array without its trailing zeros.
pub fn write_array(w: &mut Writer, values: &[i64]) {
    let used = values.iter().rposition(|&v| v != 0).map_or(0, |last| last + 1);
    w.begin_array();
    for &value in values.iter().take(used) {
        w.int(value);
    }
    w.end_array();
}

/// Reads a JSON array written by [`write_array`] into `slots`; missing trailing counts are 0.
///
/// Counts must lie in `0..=MAX_COUNT`, or in `-MAX_COUNT..=MAX_COUNT` when `signed`
/// (noised reports).
pub fn read_array(r: &mut Reader, path: &Path, slots: &mut [&mut i64], signed: bool) -> Result<(), Error> {
    r.items(path, |r, index| {
        let item = path.index(index);
        let Some(slot) = slots.get_mut(index) else {
            return Err(Error::invalid(&item, "is beyond the last counter of this schema version"));
        };
        **slot = read_count(r.token(&item)?, &item, signed)?;
        Ok(())
    })
}

/// Requires a count: an integer within the range allowed by `signed`.
pub fn read_count(token: Token, path: &Path, signed: bool) -> Result<i64, Error> {
    let Token::Number(number) = token else {
        return Err(wrong_type(path, "a count", token));
    };
    let (low, range) = if signed {
        (-MAX_COUNT, "must be an integer from -(2^53-1) to 2^53-1")
    } else {
        (0, "must be an integer from 0 to 2^53-1")
    };
    number.integer().filter(|v| (low..=MAX_COUNT).contains(v)).ok_or_else(|| Error::invalid(path, range))
}

/// The sum of a family's counter caps (its share of the DP sensitivity).
pub const fn caps_sum(caps: &[i64]) -> i64 {
    let mut total = 0;
    let mut i = 0;
    while i < caps.len() {
        total += caps[i];
        i += 1;
    }
    total
}

/// Declares a struct of `i64` counters with merge and report encoding.
macro_rules! counters {
    ($(#[$doc:meta])* $name:ident { $($(#[$field_doc:meta])* $field:ident,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            $($(#[$field_doc])* pub $field: i64,)*
        }

        impl $name {
            /// Counter names in report order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Adds every counter of `other` into this one.
            pub fn merge(&mut self, other: &Self) {
                $crate::counters::add_all(&mut self.counts_mut(), &other.values());
            }

            /// The value of every counter, in report order.
            pub fn values(&self) -> [i64; Self::NAMES.len()] {
                [$(self.$field),*]
            }

            /// Every counter, in report order.
            pub fn counts_mut(&mut self) -> [&mut i64; Self::NAMES.len()] {
                [$(&mut self.$field),*]
            }

            /// Writes the counters as a positional array.
            pub fn write(&self, w: &mut $crate::json::Writer) {
                $crate::counters::write_array(w, &self.values());
            }

            /// Writes `key` and the counters, unless they are all zero.
            pub fn write_member(&self, w: &mut $crate::json::Writer, key: &str) {
                if *self != Self::default() {
                    w.key(key);
                    self.write(w);
                }
            }

            /// Writes or reads the counters on a state tape.
            pub fn visit(&mut self, tape: &mut dyn $crate::tape::Tape) {
                $(tape.int(&mut self.$field, 0, $crate::counters::MAX_COUNT);)*
            }

            /// Reads a positional array written by [`Self::write`].
            pub fn read(
                r: &mut $crate::json::Reader,
                path: &$crate::json::Path,
                signed: bool,
            ) -> Result<Self, $crate::error::Error> {
                let mut counters = Self::default();
                $crate::counters::read_array(r, path, &mut [$(&mut counters.$field),*], signed)?;
                Ok(counters)
            }
        }
    };
}
pub(crate) use counters;

#[cfg(test)]
mod tests {
    use super::*;

    counters! {
        /// Test counters.
        Pair { left, right, }
    }

    #[test]
    fn round_trip_drops_trailing_zeros() {
        let pair = Pair { left: 3, right: 0 };
        let mut w = Writer::new();
        pair.write(&mut w);
        let text = w.into_string();
        assert_eq!(text, "[3]");
        assert_eq!(Pair::NAMES, ["left", "right"]);
        let mut w = Writer::new();
        w.begin_object();
        Pair::default().write_member(&mut w, "zero");
        pair.write_member(&mut w, "pair");
        w.end_object();
        assert_eq!(w.into_string(), r#"{"pair":[3]}"#, "all-zero counters are left out");
        let mut tape = crate::tape::TapeWriter::new();
        pair.clone().visit(&mut tape);
        assert_eq!(tape.finish(), "[3,0]", "on a state tape every counter has its place");
        let back = Pair::read(&mut Reader::new(text.as_bytes()), &Path::root("pair"), false).unwrap();
        assert_eq!(back, pair);
    }

    #[test]
    fn rejects_extra_and_negative_counts() {
        let read = |json: &str, signed| {
            Pair::read(&mut Reader::new(json.as_bytes()), &Path::root("pair").key("pair"), signed)
                .map_err(|e| e.message())
        };
        assert_eq!(read("[1,2,3]", false).unwrap_err(), "pair[2]: is beyond the last counter of this schema version");
        assert_eq!(read("[-1]", false).unwrap_err(), "pair[0]: must be an integer from 0 to 2^53-1");
        assert_eq!(read("[-1]", true).unwrap(), Pair { left: -1, right: 0 });
        assert_eq!(read("[1.5]", false).unwrap_err(), "pair[0]: must be an integer from 0 to 2^53-1");
    }

    #[test]
    fn merge_saturates() {
        let mut a = Pair { left: MAX_COUNT, right: 1 };
        a.merge(&Pair { left: 5, right: 2 });
        assert_eq!(a, Pair { left: MAX_COUNT, right: 3 });
    }

    #[test]
    fn add_is_associative_until_it_clamps() {
        let orders = |a, b, c| (add(add(a, b), c), add(a, add(b, c)));
        // Past MAX_COUNT, signed counts: the orders differ by the 1 that a + b clamped.
        assert_eq!(orders(MAX_COUNT, 1, -1), (MAX_COUNT - 1, MAX_COUNT));
        assert_eq!(orders(-MAX_COUNT, -1, 1), (1 - MAX_COUNT, -MAX_COUNT));
        // Short of it, or never negative: one total.
        assert_eq!(orders(MAX_COUNT - 1, 1, -1), (MAX_COUNT - 1, MAX_COUNT - 1));
        assert_eq!(orders(MAX_COUNT, 1, 1), (MAX_COUNT, MAX_COUNT));
        assert_eq!(add(MAX_COUNT, 1), add(1, MAX_COUNT));
        let mut a = Pair { left: MAX_COUNT, right: -MAX_COUNT };
        a.merge(&Pair { left: 1, right: -1 });
        a.merge(&Pair { left: -1, right: 1 });
        assert_eq!(a, Pair { left: MAX_COUNT - 1, right: 1 - MAX_COUNT }, "merge clamps at every step");
    }
}
