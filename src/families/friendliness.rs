//! Friendliness: CSAT, NPS and CES from survey scores.

use super::{Base, Fact, Family, Part, ReadMode, Rules, mean, ratio, raw_counts, section};
use crate::counters::{add, add_all, read_array, write_array};
use crate::error::Error;
use crate::event::Scale;
use crate::json::{Path, Reader, Writer};
use crate::noise::Noiser;
use crate::tape::Tape;

/// Score histograms; each is clipped to one rating for DP, so two possible
/// histograms differ by at most 2.
const SCORE_HISTOGRAMS: i64 = 3;

/// The members of the KPI object's `friendliness.counts`: the ratings of csat, nps and ces.
pub const RATING_COUNTS: [&str; 3] = ["csatRatings", "npsRatings", "cesRatings"];

/// How many times each score was given, per scale.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Friendliness {
    /// Scores 1..=5.
    pub csat: [i64; 5],
    /// Scores 0..=10.
    pub nps: [i64; 11],
    /// Scores 1..=7.
    pub ces: [i64; 7],
}

impl Friendliness {
    /// Counts one score (already validated against the scale's range).
    pub fn record(&mut self, scale: Scale, score: u8) {
        let (low, _) = scale.range();
        let index = usize::from(score - low);
        if let Some(slot) = self.histogram_mut(scale).get_mut(index) {
            *slot = add(*slot, 1);
        }
    }

    fn histogram_mut(&mut self, scale: Scale) -> &mut [i64] {
        match scale {
            Scale::Csat => &mut self.csat,
            Scale::Nps => &mut self.nps,
            Scale::Ces => &mut self.ces,
        }
    }

    /// Writes the report members `csat`, `nps`, `ces` (each only when non-empty).
    fn write(&self, w: &mut Writer) {
        for (key, histogram) in [("csat", &self.csat[..]), ("nps", &self.nps[..]), ("ces", &self.ces[..])] {
            if histogram.iter().any(|&c| c != 0) {
                w.key(key);
                write_array(w, histogram);
            }
        }
    }

    /// Reads the report member `key` if it is one of this family's; false otherwise.
    fn read(&mut self, key: &str, r: &mut Reader, path: &Path, signed: bool) -> Result<bool, Error> {
        let scale = match key {
            "csat" => Scale::Csat,
            "nps" => Scale::Nps,
            "ces" => Scale::Ces,
            _ => return Ok(false),
        };
        let histogram = self.histogram_mut(scale);
        read_array(r, &path.key(key), &mut histogram.iter_mut().collect::<alloc::vec::Vec<_>>(), signed)?;
        Ok(true)
    }

    /// Writes the members of the KPI object's `friendliness`.
    ///
    /// CSAT is ratings 4-5 over all ratings; NPS is % promoters (9-10) − %
    /// detractors (0-6); CES is the mean effort score.
    fn write_scores(&self, w: &mut Writer) {
        let ratings: i64 = self.csat.iter().sum();
        ratio(w, "csat", self.csat[3] + self.csat[4], ratings);
        mean(w, "csatMean", score_sum(&self.csat), ratings);
        let detractors: i64 = self.nps[..7].iter().sum();
        let passives = self.nps[7] + self.nps[8];
        let promoters = self.nps[9] + self.nps[10];
        let count = detractors + passives + promoters;
        w.key("nps");
        w.begin_object();
        w.key("value");
        if count > 0 {
            w.decimal((promoters - detractors) as f64 * 100.0 / count as f64);
        } else {
            w.null();
        }
        for (key, value) in
            [("promoters", promoters), ("passives", passives), ("detractors", detractors), ("count", count)]
        {
            w.key(key);
            w.int(value);
        }
        w.end_object();
        mean(w, "ces", score_sum(&self.ces), self.ces.iter().sum());
    }
}

impl Family for Friendliness {
    const SENSITIVITY: i64 = 2 * SCORE_HISTOGRAMS;

    fn apply(&mut self, fact: &Fact, _: &Rules) {
        if let Fact::Rated { scale, score } = *fact {
            self.record(scale, score);
        }
    }

    fn merge(&mut self, other: &Friendliness) {
        add_all(&mut self.csat.each_mut(), &other.csat);
        add_all(&mut self.nps.each_mut(), &other.nps);
        add_all(&mut self.ces.each_mut(), &other.ces);
    }

    fn visit(&mut self, tape: &mut dyn Tape) {
        for count in self.csat.iter_mut().chain(self.nps.iter_mut()).chain(self.ces.iter_mut()) {
            tape.int(count, 0, crate::counters::MAX_COUNT);
        }
    }

    fn write_members(&self, part: Part, w: &mut Writer) {
        if part == Part::Histograms {
            self.write(w);
        }
    }

    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        each("csat", &self.csat);
        each("nps", &self.nps);
        each("ces", &self.ces);
    }

    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, mode: ReadMode) -> Result<bool, Error> {
        self.read(key, r, path, mode.signed)
    }

    fn privatize(&mut self, noise: &mut Noiser) {
        for histogram in [&mut self.csat[..], &mut self.nps[..], &mut self.ces[..]] {
            noise.histogram(histogram);
        }
    }

    fn write_kpis(&self, _: &Base, w: &mut Writer) {
        section(w, "friendliness", |w| {
            self.write_scores(w);
            let ratings = |histogram: &[i64]| histogram.iter().sum::<i64>();
            let extra = [
                (RATING_COUNTS[0], ratings(&self.csat)),
                (RATING_COUNTS[1], ratings(&self.nps)),
                (RATING_COUNTS[2], ratings(&self.ces)),
            ];
            raw_counts(w, &[], &[], &extra);
        });
    }
}

/// Σ score × count for a scale starting at 1 (index 0 holds score 1).
fn score_sum(histogram: &[i64]) -> i64 {
    histogram.iter().zip(1..).map(|(&count, score)| count * score).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn kpis(scores: &[(Scale, u8)]) -> String {
        let mut f = Friendliness::default();
        for &(scale, score) in scores {
            f.record(scale, score);
        }
        let mut w = Writer::new();
        w.begin_object();
        f.write_scores(&mut w);
        w.end_object();
        w.into_string()
    }

    #[test]
    fn nps_of_ten_mixed_scores_is_zero() {
        let scores: alloc::vec::Vec<_> = [1, 2, 3, 5, 7, 8, 9, 9, 9, 10].iter().map(|&s| (Scale::Nps, s)).collect();
        assert!(kpis(&scores).contains(r#""nps":{"value":0,"promoters":4,"passives":2,"detractors":4,"count":10}"#));
    }

    #[test]
    fn nps_of_10_30_60_is_50() {
        let f = Friendliness { nps: [10, 0, 0, 0, 0, 0, 0, 30, 0, 60, 0], ..Friendliness::default() };
        let mut w = Writer::new();
        w.begin_object();
        f.write_scores(&mut w);
        w.end_object();
        assert!(
            w.into_string().contains(r#""nps":{"value":50,"promoters":60,"passives":30,"detractors":10,"count":100}"#)
        );
    }

    #[test]
    fn csat_counts_four_and_five_and_ces_is_a_mean() {
        let text = kpis(&[(Scale::Csat, 5), (Scale::Csat, 4), (Scale::Csat, 2), (Scale::Ces, 2), (Scale::Ces, 7)]);
        assert!(text.contains(r#""csat":{"num":2,"den":3,"value":0.666667}"#), "{text}");
        assert!(text.contains(r#""csatMean":{"value":3.666667,"count":3}"#), "{text}");
        assert!(text.contains(r#""ces":{"value":4.5,"count":2}"#), "{text}");
    }

    #[test]
    fn empty_scores_give_null_values() {
        let text = kpis(&[]);
        assert!(text.contains(r#""csat":{"num":0,"den":0,"value":null}"#));
        assert!(text.contains(r#""nps":{"value":null,"promoters":0,"passives":0,"detractors":0,"count":0}"#));
    }
}

#[cfg(test)]
mod engine_tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    #[test]
    fn surveys_feed_csat_nps_and_ces() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("survey", at(0.0), r#""kind":"csat","score":5"#),
                event("survey", at(1.0), r#""kind":"csat","score":3"#),
                event("survey", at(2.0), r#""kind":"nps","score":10"#),
                event("survey", at(3.0), r#""kind":"nps","score":0"#),
                event("survey", at(4.0), r#""kind":"nps","score":9"#),
                event("survey", at(5.0), r#""kind":"ces","score":7"#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "friendliness", "csat"), [1, 2]);
        assert_eq!(k["friendliness"]["csatMean"]["value"], 4);
        assert_eq!(k["friendliness"]["nps"]["value"], 33.333333);
        assert_eq!(k["friendliness"]["ces"]["value"], 7);
    }
}
