//! Noise in counts: the exact sampler, clipping and noising counts, and how
//! much noise a report carries. The policy (what is noised, the
//! sensitivity, ε) is [`crate::dp`]'s.

pub mod laplace;
mod noiser;

use crate::counters::{MAX_COUNT, add};
use crate::error::Error;
use crate::json::{Path, Reader, Writer, unknown_key};
pub use laplace::RandomSource;
pub use noiser::Noiser;

/// How much noise a report's counts carry: the number of noised reports in
/// it and the variance of the noise on each of its counts (the sum of theirs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noise {
    /// Noised reports merged into this one.
    pub reports: i64,
    /// Variance of the noise on each count.
    pub variance: i64,
}

impl Noise {
    /// Adds the noise of `other` (independent noise: variances add).
    pub fn merge(into: &mut Option<Noise>, other: Option<Noise>) {
        *into = match (*into, other) {
            (Some(a), Some(b)) => {
                Some(Noise { reports: add(a.reports, b.reports), variance: add(a.variance, b.variance) })
            }
            (a, b) => a.or(b),
        };
    }

    /// Writes `{"reports":…,"variance":…}`.
    pub fn write(&self, w: &mut Writer) {
        w.begin_object();
        w.key("reports");
        w.int(self.reports);
        w.key("variance");
        w.int(self.variance);
        w.end_object();
    }

    /// Reads what [`Noise::write`] wrote.
    pub fn read(r: &mut Reader, path: &Path) -> Result<Noise, Error> {
        let (mut reports, mut variance) = (None, None);
        r.members(path, |r, key| {
            let (slot, name, low) = if key.is("reports") {
                (&mut reports, "reports", 1)
            } else if key.is("variance") {
                (&mut variance, "variance", 0)
            } else {
                return Err(unknown_key(path, key));
            };
            let range =
                if low == 1 { "must be an integer from 1 to 2^53-1" } else { "must be an integer from 0 to 2^53-1" };
            *slot = Some(r.integer(&path.key(name), low, MAX_COUNT, range)?);
            Ok(())
        })?;
        Ok(Noise {
            reports: reports.ok_or_else(|| Error::missing(&path.key("reports")))?,
            variance: variance.ok_or_else(|| Error::missing(&path.key("variance")))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_noise_names_the_field() {
        let read = |json: &str| {
            Noise::read(&mut Reader::new(json.as_bytes()), &Path::root("report").key("noise")).map_err(|e| e.message())
        };
        assert_eq!(read(r#"{"reports":2,"variance":5}"#), Ok(Noise { reports: 2, variance: 5 }));
        assert_eq!(
            read(r#"{"reports":0,"variance":5}"#).unwrap_err(),
            "noise.reports: must be an integer from 1 to 2^53-1"
        );
        assert_eq!(read(r#"{"reports":1}"#).unwrap_err(), "noise.variance: is required");
        assert_eq!(
            read(r#"{"reports":1,"variance":1,"epsilon":1}"#).unwrap_err(),
            "noise.epsilon: is not a known field"
        );
    }
}
