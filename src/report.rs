//! The aggregate report: the only thing that leaves the browser.
//!
//! A report holds counts, sums, score histograms, duration sketches and
//! hour-of-week buckets for one site and a coarse period. Reports merge by
//! addition, so merging is associative and commutative, with the empty
//! report of the same site and settings as identity.

use crate::dp::Noise;
use crate::error::Error;
use crate::families::availability::Availability;
use crate::families::contribution::{Contribution, ContributionCounts};
use crate::families::engagement::Engagement;
use crate::families::friendliness::Friendliness;
use crate::families::prevention::{Prevention, PreventionCounts};
use crate::families::productivity::Productivity;
use crate::families::speed::{Speed, SpeedCounts};
use crate::families::time::WeekHours;
use crate::json::{Path, Reader, Writer, unknown_key};
use crate::named::NamedCounts;
use crate::sketch::Sketch;
use crate::tape::{Tape, optional};
use crate::time::{EARLIEST_TS, HOUR_MS, LATEST_TS, floor_hour};
use alloc::string::String;

/// Version of the report schema this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// A random 128-bit report id, for de-duplicating retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReportId(pub [u8; 16]);

impl ReportId {
    /// 32 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.0.iter().flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]).map(char::from).collect()
    }

    /// Parses 32 lowercase hex digits.
    pub fn from_hex(text: &str) -> Option<ReportId> {
        let digits = text.as_bytes();
        if digits.len() != 32 {
            return None;
        }
        let nibble = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        let mut id = [0u8; 16];
        for (byte, pair) in id.iter_mut().zip(digits.chunks(2)) {
            *byte = nibble(pair[0])? << 4 | nibble(pair[1])?;
        }
        Some(ReportId(id))
    }
}

/// The whole hours a report covers: `from <= ts < to` for each of its events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    /// Start of the first hour, ms since the epoch.
    pub from: i64,
    /// End of the last hour (exclusive).
    pub to: i64,
}

impl Period {
    /// The hour containing `ts`.
    pub fn around(ts: i64) -> Period {
        let from = floor_hour(ts);
        Period { from, to: from + HOUR_MS }
    }

    /// The smallest period covering both.
    pub fn union(self, other: Period) -> Period {
        Period { from: self.from.min(other.from), to: self.to.max(other.to) }
    }
}

/// Aggregates of one site over a coarse period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The site's key.
    pub site: String,
    /// Random id of a report as sent; `None` for merged reports and engine totals.
    pub id: Option<ReportId>,
    /// Hours covered; `None` when nothing was counted.
    pub period: Option<Period>,
    /// The service-level threshold the counts were made with.
    pub service_level_seconds: u32,
    /// Differential-privacy noise in the counts; `None` when they are exact.
    pub noise: Option<Noise>,
    /// Engagement counts.
    pub engagement: Engagement,
    /// Availability counts.
    pub availability: Availability,
    /// Speed counts and sketches.
    pub speed: Speed,
    /// Prevention counts and tags.
    pub prevention: Prevention,
    /// Survey score histograms.
    pub friendliness: Friendliness,
    /// Conversion counts.
    pub contribution: Contribution,
    /// Message and closing counts.
    pub productivity: Productivity,
    /// Counts per hour of the week, local time.
    pub hours: WeekHours,
}

impl Report {
    /// The report with nothing counted: the identity of [`Report::merge`].
    pub fn empty(site: &str, service_level_seconds: u32) -> Report {
        Report {
            site: String::from(site),
            id: None,
            period: None,
            service_level_seconds,
            noise: None,
            engagement: Engagement::default(),
            availability: Availability::default(),
            speed: Speed::default(),
            prevention: Prevention::default(),
            friendliness: Friendliness::default(),
            contribution: Contribution::default(),
            productivity: Productivity::default(),
            hours: WeekHours::default(),
        }
    }

    /// Adds `other` into this report, which then carries no id.
    ///
    /// Fails, leaving this report unchanged, when the sites or the
    /// service-level thresholds differ.
    pub fn merge(&mut self, other: &Report) -> Result<(), Error> {
        let root = Path::root("report");
        if self.site != other.site {
            return Err(Error::mismatch(&root.key("site"), "reports of different sites cannot be merged"));
        }
        if self.service_level_seconds != other.service_level_seconds {
            return Err(Error::mismatch(
                &root.key("serviceLevelSeconds"),
                "reports counted with different service-level thresholds cannot be merged",
            ));
        }
        self.id = None;
        self.period = match (self.period, other.period) {
            (Some(a), Some(b)) => Some(a.union(b)),
            (a, b) => a.or(b),
        };
        Noise::merge(&mut self.noise, other.noise);
        self.engagement.merge(&other.engagement);
        self.availability.merge(&other.availability);
        self.speed.merge(&other.speed);
        self.prevention.merge(&other.prevention);
        self.friendliness.merge(&other.friendliness);
        self.contribution.merge(&other.contribution);
        self.productivity.merge(&other.productivity);
        self.hours.merge(&other.hours);
        Ok(())
    }

    /// True when nothing has been counted.
    pub fn is_empty(&self) -> bool {
        self.period.is_none()
    }

    /// True when any count, sketch or bucket is not zero.
    fn has_counts(&self) -> bool {
        let mut bare = self.clone();
        bare.id = None;
        bare.period = None;
        bare != Report::empty(&self.site, self.service_level_seconds)
    }

    /// Writes or reads the report on a state tape (saved engine state, which
    /// never holds a report id).
    pub fn visit(&mut self, tape: &mut dyn Tape) {
        const BOUNDS: (i64, i64) = (EARLIEST_TS, LATEST_TS + HOUR_MS);
        tape.name(&mut self.site);
        let mut threshold = i64::from(self.service_level_seconds);
        tape.int(&mut threshold, 1, 86_400);
        self.service_level_seconds = threshold as u32;
        optional(tape, &mut self.period, |tape, period| {
            tape.int(&mut period.from, BOUNDS.0, BOUNDS.1);
            tape.int(&mut period.to, BOUNDS.0, BOUNDS.1);
        });
        self.engagement.visit(tape);
        self.availability.visit(tape);
        self.speed.counts.visit(tape);
        self.speed.first_response.visit(tape);
        self.speed.response.visit(tape);
        self.speed.resolution.visit(tape);
        self.prevention.counts.visit(tape);
        self.prevention.tags.visit(tape);
        self.friendliness.visit(tape);
        self.contribution.counts.visit(tape);
        self.contribution.goals.visit(tape);
        self.productivity.visit(tape);
        self.hours.visit(tape);
    }

    /// The report as JSON text; empty parts are left out.
    pub fn encode(&self) -> String {
        let mut w = Writer::new();
        self.write(&mut w);
        w.into_string()
    }

    /// Writes the report as a JSON object.
    pub fn write(&self, w: &mut Writer) {
        w.begin_object();
        w.key("v");
        w.int(SCHEMA_VERSION);
        w.key("site");
        w.string(&self.site);
        if let Some(id) = &self.id {
            w.key("id");
            w.string(&id.to_hex());
        }
        if let Some(period) = &self.period {
            w.key("period");
            w.begin_object();
            w.key("from");
            w.int(period.from);
            w.key("to");
            w.int(period.to);
            w.end_object();
        }
        w.key("serviceLevelSeconds");
        w.int(i64::from(self.service_level_seconds));
        if let Some(noise) = &self.noise {
            w.key("noise");
            noise.write(w);
        }
        self.engagement.write_member(w, "engagement");
        self.availability.write_member(w, "availability");
        self.speed.counts.write_member(w, "speed");
        self.prevention.counts.write_member(w, "prevention");
        self.contribution.counts.write_member(w, "contribution");
        self.productivity.write_member(w, "productivity");
        for (key, sketch) in [
            ("firstResponse", &self.speed.first_response),
            ("response", &self.speed.response),
            ("resolution", &self.speed.resolution),
        ] {
            if *sketch != Sketch::default() {
                w.key(key);
                sketch.write(w);
            }
        }
        if !self.prevention.tags.is_empty() {
            w.key("tags");
            self.prevention.tags.write(w);
        }
        if !self.contribution.goals.is_empty() {
            w.key("goals");
            self.contribution.goals.write(w);
        }
        self.friendliness.write(w);
        if self.hours != WeekHours::default() {
            w.key("hours");
            self.hours.write(w);
        }
        w.end_object();
    }

    /// Decodes and validates a report: schema version, fields, ranges and sizes.
    pub fn decode(json: &[u8]) -> Result<Report, Error> {
        let root = Path::root("report");
        let mut r = Reader::new(json);
        let report = Report::read(&mut r, &root)?;
        r.finish(&root)?;
        Ok(report)
    }

    /// Reads a report object at the reader's position.
    ///
    /// Counts may be negative only in a report with a `noise` member.
    pub fn read(r: &mut Reader, path: &Path) -> Result<Report, Error> {
        let mut report = Report::empty("", 0);
        let (mut version, mut site, mut threshold) = (None, None, None);
        let signed = has_member(r, path, "noise");
        r.members(path, |r, key| {
            let name = key.decode().unwrap_or_default();
            let at = path.key(&name);
            match &*name {
                "v" => {
                    version = Some(r.integer(
                        &at,
                        SCHEMA_VERSION,
                        SCHEMA_VERSION,
                        "must be 1, the schema version this build reads",
                    )?)
                }
                "site" => site = Some(r.slug(&at)?),
                "id" => report.id = Some(read_id(r, &at)?),
                "period" => report.period = Some(read_period(r, &at)?),
                "serviceLevelSeconds" => {
                    threshold = Some(r.integer(&at, 1, 86_400, "must be an integer from 1 to 86400")? as u32);
                }
                "noise" => report.noise = Some(Noise::read(r, &at)?),
                _ => {
                    if !report.read_counts(&name, r, path, signed)? {
                        return Err(unknown_key(path, key));
                    }
                }
            }
            Ok(())
        })?;
        version.ok_or_else(|| Error::missing(&path.key("v")))?;
        report.site = site.ok_or_else(|| Error::missing(&path.key("site")))?;
        report.service_level_seconds = threshold.ok_or_else(|| Error::missing(&path.key("serviceLevelSeconds")))?;
        report.check_period(path)?;
        Ok(report)
    }

    /// Checks the period beyond its bounds: whole hours, `to` after `from`,
    /// and present when anything is counted. Reports read back from a saved
    /// state are checked too, so the engine never sends one the collector refuses.
    pub fn check_period(&self, path: &Path) -> Result<(), Error> {
        let at = path.key("period");
        let Some(Period { from, to }) = self.period else {
            return match self.has_counts() {
                true => Err(Error::missing(&at)),
                false => Ok(()),
            };
        };
        for (name, ts) in [("from", from), ("to", to)] {
            if ts % HOUR_MS != 0 {
                return Err(Error::invalid(&at.key(name), PERIOD_BOUND));
            }
        }
        if to <= from {
            return Err(Error::invalid(&at.key("to"), "must be after period.from"));
        }
        Ok(())
    }

    /// Reads the count member `name`, if it is one (false otherwise); `signed`
    /// allows negative counters and scores (noised reports).
    fn read_counts(&mut self, name: &str, r: &mut Reader, path: &Path, signed: bool) -> Result<bool, Error> {
        let at = path.key(name);
        match name {
            "engagement" => self.engagement = Engagement::read(r, &at, signed)?,
            "availability" => self.availability = Availability::read(r, &at, signed)?,
            "speed" => self.speed.counts = SpeedCounts::read(r, &at, signed)?,
            "prevention" => self.prevention.counts = PreventionCounts::read(r, &at, signed)?,
            "contribution" => self.contribution.counts = ContributionCounts::read(r, &at, signed)?,
            "productivity" => self.productivity = Productivity::read(r, &at, signed)?,
            "firstResponse" => self.speed.first_response = Sketch::read(r, &at)?,
            "response" => self.speed.response = Sketch::read(r, &at)?,
            "resolution" => self.speed.resolution = Sketch::read(r, &at)?,
            "tags" => self.prevention.tags = NamedCounts::read(r, &at)?,
            "goals" => self.contribution.goals = NamedCounts::read(r, &at)?,
            "hours" => self.hours = WeekHours::read(r, &at)?,
            other => return self.friendliness.read(other, r, path, signed),
        }
        Ok(true)
    }
}

/// True if the object at the reader's position has a member `key`; the
/// reader stays where it is. Malformed input answers false, and reading it
/// for real then reports the error.
fn has_member(r: &mut Reader, path: &Path, key: &str) -> bool {
    let start = r.position();
    let mut found = false;
    let _ = r.members(path, |r, member| {
        found |= member.is(key);
        let token = r.token(path)?;
        r.skip(token, path)
    });
    r.rewind(start);
    found
}

fn read_id(r: &mut Reader, path: &Path) -> Result<ReportId, Error> {
    let text = r.text(path)?;
    ReportId::from_hex(&text).ok_or_else(|| Error::invalid(path, "must be 32 lowercase hex digits"))
}

/// What a period's ends must be.
const PERIOD_BOUND: &str = "must be a whole hour (ms since the epoch) between 2000-01-01 and 2100-01-01";

fn read_period(r: &mut Reader, path: &Path) -> Result<Period, Error> {
    let (mut from, mut to) = (None, None);
    r.members(path, |r, key| {
        let (slot, name) = if key.is("from") {
            (&mut from, "from")
        } else if key.is("to") {
            (&mut to, "to")
        } else {
            return Err(unknown_key(path, key));
        };
        let at = path.key(name);
        *slot = Some(r.integer(&at, EARLIEST_TS, LATEST_TS + HOUR_MS, PERIOD_BOUND)?);
        Ok(())
    })?;
    let from = from.ok_or_else(|| Error::missing(&path.key("from")))?;
    let to = to.ok_or_else(|| Error::missing(&path.key("to")))?;
    Ok(Period { from, to })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{at, engine, event, feed};

    fn sample() -> Report {
        let mut e = engine(r#""goals":["purchase"],"tags":["complaint"]"#);
        feed(
            &mut e,
            &[
                event("page_view", at(0.0), r#""support":true"#),
                event("chat_button_impression", at(0.5), ""),
                event("chat_started", at(1.0), ""),
                event("agent_message", at(1.5), ""),
                event("tag", at(1.7), r#""name":"complaint""#),
                event("chat_ended", at(2.0), r#""resolved":true"#),
                event("survey", at(2.5), r#""kind":"csat","score":5"#),
                event("conversion", at(3.0), r#""goal":"purchase","value":19.95"#),
            ],
        );
        e.take_report(ReportId([0xab; 16]))
    }

    #[test]
    fn encodes_compactly_and_round_trips() {
        let report = sample();
        let text = report.encode();
        assert_eq!(
            text,
            concat!(
                r#"{"v":1,"site":"test","id":"abababababababababababababababab","period":{"from":1795392000000,"to":1795395600000},"#,
                r#""serviceLevelSeconds":60,"engagement":[1,1,1,1,1,1,0,0,1],"availability":[1],"speed":[1],"#,
                r#""prevention":[1,0,1,1,0,0,1],"contribution":[1,1],"productivity":[2,1],"#,
                r#""firstResponse":{"sumMs":30000,"buckets":[[629,1]]},"response":{"sumMs":30000,"buckets":[[629,1]]},"#,
                r#""resolution":{"sumMs":60000,"buckets":[[693,1]]},"tags":{"complaint":[1]},"goals":{"purchase":[1,19950,1,19950]},"#,
                r#""csat":[0,0,0,0,1],"hours":{"0":[1,1,1,0,1]}}"#
            )
        );
        assert_eq!(Report::decode(text.as_bytes()).unwrap(), report);
    }

    #[test]
    fn merge_adds_and_drops_the_id() {
        let a = sample();
        let mut merged = a.clone();
        merged.merge(&a).unwrap();
        assert_eq!(merged.id, None);
        assert_eq!(merged.engagement.page_views, 2);
        assert_eq!(merged.contribution.goals.get("purchase"), [2, 39_900, 2, 39_900]);
        assert_eq!(merged.speed.first_response.count(), 2);
        let mut identity = a.clone();
        identity.merge(&Report::empty("test", 60)).unwrap();
        assert_eq!(identity, Report { id: None, ..a });
    }

    #[test]
    fn refuses_to_merge_different_sites_or_thresholds() {
        let mut a = Report::empty("a", 60);
        let before = a.clone();
        assert_eq!(
            a.merge(&Report::empty("b", 60)).unwrap_err().message(),
            "site: reports of different sites cannot be merged"
        );
        assert_eq!(
            a.merge(&Report::empty("a", 30)).unwrap_err().message(),
            "serviceLevelSeconds: reports counted with different service-level thresholds cannot be merged"
        );
        assert_eq!(a, before);
    }

    #[test]
    fn rejects_bad_reports_naming_the_field() {
        let head = r#""v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000000,"to":1795395600000}"#;
        let cases = [
            (alloc::string::String::from("{}"), "v: is required"),
            (
                alloc::string::String::from(r#"{"v":2,"site":"s","serviceLevelSeconds":60}"#),
                "v: must be 1, the schema version this build reads",
            ),
            (alloc::string::String::from(r#"{"v":1,"serviceLevelSeconds":60}"#), "site: is required"),
            (alloc::string::String::from(r#"{"v":1,"site":"s"}"#), "serviceLevelSeconds: is required"),
            (alloc::format!(r#"{{{head},"engagement":[1,-2]}}"#), "engagement[1]: must be an integer from 0 to 2^53-1"),
            (
                alloc::format!(r#"{{{head},"engagement":[1,9007199254740992]}}"#),
                "engagement[1]: must be an integer from 0 to 2^53-1",
            ),
            (
                alloc::format!(r#"{{{head},"engagement":[0,0,0,0,0,0,0,0,0,1]}}"#),
                "engagement[9]: is beyond the last counter of this schema version",
            ),
            (alloc::format!(r#"{{{head},"speed":"fast"}}"#), "speed: must be an array, not a string"),
            (alloc::format!(r#"{{{head},"id":"XYZ"}}"#), "id: must be 32 lowercase hex digits"),
            (
                alloc::format!(r#"{{{head},"hours":{{"168":[1]}}}}"#),
                "hours.168: must be an hour of the week from 0 to 167",
            ),
            // Found by fuzzing: keys that are no small number once overflowed the parser.
            (alloc::format!(r#"{{{head},"hours":{{"$":[1]}}}}"#), "hours.$: must be an hour of the week from 0 to 167"),
            (
                alloc::format!(r#"{{{head},"hours":{{"99999999999999999999":[1]}}}}"#),
                "hours.99999999999999999999: must be an hour of the week from 0 to 167",
            ),
            (
                alloc::format!(r#"{{{head},"nps":[0,0,0,0,0,0,0,0,0,0,0,1]}}"#),
                "nps[11]: is beyond the last counter of this schema version",
            ),
            (alloc::format!(r#"{{{head},"mystery":1}}"#), "mystery: is not a known field"),
            (
                alloc::string::String::from(
                    r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795392000001,"to":1795395600000}}"#,
                ),
                "period.from: must be a whole hour (ms since the epoch) between 2000-01-01 and 2100-01-01",
            ),
            (
                alloc::string::String::from(
                    r#"{"v":1,"site":"s","serviceLevelSeconds":60,"period":{"from":1795395600000,"to":1795395600000}}"#,
                ),
                "period.to: must be after period.from",
            ),
            (
                alloc::string::String::from(r#"{"v":1,"site":"s","serviceLevelSeconds":60,"engagement":[1]}"#),
                "period: is required",
            ),
        ];
        for (json, message) in cases {
            assert_eq!(Report::decode(json.as_bytes()).unwrap_err().message(), message, "{json}");
        }
    }

    #[test]
    fn the_kpi_contract_lists_every_counter_in_report_order() {
        use crate::families::time::HourCounts;
        let contract = include_str!("../docs/kpis.md");
        let members: [(&str, &[&str]); 7] = [
            ("engagement", Engagement::NAMES),
            ("availability", Availability::NAMES),
            ("speed", SpeedCounts::NAMES),
            ("prevention", PreventionCounts::NAMES),
            ("contribution", ContributionCounts::NAMES),
            ("productivity", Productivity::NAMES),
            ("hours", HourCounts::NAMES),
        ];
        for (member, names) in members {
            let row = alloc::format!("| {} |", names.join(", "));
            let prefix = alloc::format!("| `{member}`");
            let listed = contract.lines().any(|l| l.starts_with(&prefix) && l.ends_with(&row));
            assert!(listed, "docs/kpis.md should have a row for `{member}` ending with {row}");
        }
    }

    #[test]
    fn noised_reports_may_hold_negative_counts_wherever_noise_is_written() {
        let period = r#""period":{"from":1795392000000,"to":1795395600000}"#;
        let noise = r#""noise":{"reports":1,"variance":13448}"#;
        for json in [
            alloc::format!(
                r#"{{"v":1,"site":"s",{period},"serviceLevelSeconds":60,{noise},"engagement":[-2],"nps":[-1,3]}}"#
            ),
            alloc::format!(
                r#"{{"engagement":[-2],"nps":[-1,3],{noise},"v":1,"site":"s",{period},"serviceLevelSeconds":60}}"#
            ),
        ] {
            let report = Report::decode(json.as_bytes()).unwrap();
            assert_eq!((report.engagement.page_views, report.friendliness.nps[0]), (-2, -1), "{json}");
            assert_eq!(report.noise, Some(Noise { reports: 1, variance: 13_448 }));
        }
        let sketch = alloc::format!(
            r#"{{"v":1,"site":"s",{period},"serviceLevelSeconds":60,{noise},"firstResponse":{{"sumMs":-1,"buckets":[]}}}}"#
        );
        assert_eq!(
            Report::decode(sketch.as_bytes()).unwrap_err().message(),
            "firstResponse.sumMs: must be an integer from 0 to 2^53-1",
            "durations are never noised"
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let deep = alloc::format!(
            r#"{{"v":1,"site":"s","serviceLevelSeconds":60,"speed":{}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(Report::decode(deep.as_bytes()).unwrap_err().message(), "speed[0]: must be a count, not an array");
    }
}
