//! Whether a report fits into a total: a merge that would not decode again
//! is refused before it happens.

use super::Report;
use crate::counters::MAX_COUNT;
use crate::error::Error;
use crate::json::Path;
use crate::named::MAX_NAMES;
use crate::sketch::Sketch;

impl Report {
    /// Fails, naming the member, when merging `other` into this report would
    /// give a report that [`Report::decode`] refuses: more than 64 goal or
    /// tag names (or any new name, for a total already holding more), or a
    /// number past ±(2^53−1) (where [`Report::merge`] would
    /// saturate and lose counts). A store checks this before it merges a
    /// report into a stored total, so every stored total stays decodable and
    /// exact. The overflow check is per member and conservative: it refuses
    /// when the largest number of a member in this report plus the largest
    /// in `other` passes 2^53−1.
    pub fn check_room_for(&self, other: &Report) -> Result<(), Error> {
        self.check_same_counting(other)?;
        let root = Path::root("report");
        let names = [
            ("tags", self.prevention.tags.len(), self.prevention.tags.union_len(&other.prevention.tags)),
            ("goals", self.contribution.goals.len(), self.contribution.goals.union_len(&other.contribution.goals)),
        ];
        for (member, before, after) in names {
            // A total read with more names (see `decode_total`) takes no new ones.
            if after > MAX_NAMES && after > before {
                return Err(Error::invalid(&root.key(member), "would give the total more than 64 names"));
            }
        }
        for ((member, mine), (_, theirs)) in self.peaks().into_iter().zip(other.peaks()) {
            if mine.saturating_add(theirs) > MAX_COUNT {
                return Err(Error::invalid(&root.key(member), "would take a number of the total past 2^53-1"));
            }
        }
        Ok(())
    }

    /// The largest magnitude of any number held in each member: counts,
    /// value and duration sums, and the noise's figures.
    fn peaks(&self) -> [(&'static str, i64); 16] {
        let noise = self.noise.map_or(0, |noise| noise.reports.max(noise.variance));
        let friendliness = &self.friendliness;
        [
            ("engagement", peak(self.engagement.values())),
            ("availability", peak(self.availability.values())),
            ("speed", peak(self.speed.counts.values())),
            ("prevention", peak(self.prevention.counts.values())),
            ("contribution", peak(self.contribution.counts.values())),
            ("productivity", peak(self.productivity.values())),
            ("firstResponse", sketch_peak(&self.speed.first_response)),
            ("response", sketch_peak(&self.speed.response)),
            ("resolution", sketch_peak(&self.speed.resolution)),
            ("tags", peak(self.prevention.tags.iter().flat_map(|(_, counts)| *counts))),
            ("goals", peak(self.contribution.goals.iter().flat_map(|(_, counts)| *counts))),
            ("csat", peak(friendliness.csat)),
            ("nps", peak(friendliness.nps)),
            ("ces", peak(friendliness.ces)),
            ("hours", peak(self.hours.iter().flat_map(|hour| hour.values()))),
            ("noise", noise),
        ]
    }
}

/// The largest magnitude among `values` (0 for none).
fn peak(values: impl IntoIterator<Item = i64>) -> i64 {
    values.into_iter().map(i64::saturating_abs).max().unwrap_or(0)
}

fn sketch_peak(sketch: &Sketch) -> i64 {
    peak(sketch.buckets().map(|(_, count)| count).chain([sketch.sum_ms()]))
}

#[cfg(test)]
mod tests {
    use crate::dp::Noise;
    use crate::{MAX_COUNT, Period, Report};

    fn report(site: &str) -> Report {
        let mut report = Report::empty(site, 60);
        report.period = Some(Period { from: 1_795_392_000_000, to: 1_795_395_600_000 });
        report
    }

    fn with_goals(names: core::ops::Range<usize>) -> Report {
        let mut report = report("s");
        for i in names {
            report.contribution.goals.add(&alloc::format!("g{i}"), &[1, 0, 0, 0]);
        }
        report
    }

    #[test]
    fn a_total_keeps_at_most_64_names() {
        let total = with_goals(0..40);
        assert_eq!(total.check_room_for(&with_goals(20..64)), Ok(()), "24 new names: 64 in all");
        let error = total.check_room_for(&with_goals(20..65)).unwrap_err();
        assert_eq!(error.message(), "goals: would give the total more than 64 names");
        let mut merged = total.clone();
        merged.merge(&with_goals(20..64)).unwrap();
        assert_eq!(Report::decode(merged.encode().as_bytes()).unwrap(), merged, "64 names decode");
    }

    #[test]
    fn a_total_stored_with_more_names_still_reads_and_takes_no_new_one() {
        let legacy = with_goals(0..80);
        let text = legacy.encode();
        let error = Report::decode(text.as_bytes()).unwrap_err();
        assert_eq!(error.detail(), "is one name too many (at most 64)");
        assert_eq!(Report::decode_total(text.as_bytes()).unwrap(), legacy);
        assert_eq!(legacy.check_room_for(&with_goals(10..20)), Ok(()), "names it has");
        assert_eq!(legacy.check_room_for(&with_goals(79..81)).unwrap_err().field(), "goals");
    }

    #[test]
    fn no_number_of_a_total_passes_two_to_the_53() {
        let mut total = report("s");
        total.engagement.page_views = MAX_COUNT - 5;
        let mut small = report("s");
        small.engagement.sessions = 5;
        assert_eq!(total.check_room_for(&small), Ok(()));
        small.engagement.sessions = 6;
        let error = total.check_room_for(&small).unwrap_err();
        assert_eq!(error.message(), "engagement: would take a number of the total past 2^53-1");
        let mut durations = report("s");
        durations.speed.resolution.record(crate::sketch::MAX_MS);
        for _ in 0..21 {
            let copy = durations.clone();
            durations.merge(&copy).unwrap();
        }
        assert_eq!(durations.check_room_for(&durations).unwrap_err().field(), "resolution", "the sum of durations");
        let mut noised = report("s");
        noised.noise = Some(Noise { reports: 1, variance: MAX_COUNT });
        assert_eq!(noised.check_room_for(&noised).unwrap_err().field(), "noise");
        noised.engagement.page_views = -MAX_COUNT;
        noised.noise = Some(Noise { reports: 1, variance: 1 });
        assert_eq!(noised.check_room_for(&noised).unwrap_err().field(), "engagement", "negative counts too");
    }

    #[test]
    fn reports_of_other_sites_have_no_room() {
        assert_eq!(
            report("a").check_room_for(&report("b")).unwrap_err().message(),
            "site: reports of different sites cannot be merged"
        );
    }
}
