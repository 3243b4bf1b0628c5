//! The aggregate report: the only thing that leaves the browser.
//!
//! A report holds counts, sums, score histograms, duration sketches and
//! hour-of-week buckets for one site and a coarse period. Reports merge by
//! addition: commutatively, with the empty report of the same site and
//! settings as identity, and associatively while no merged count passes
//! ±[`crate::MAX_COUNT`] (2^53−1). Past it each merge clamps the count, so
//! the order of merges can change a clamped total by the amounts clamped
//! (only signed counts, of noised reports, can tell: counts that are never
//! negative clamp alike in every order). A store checks
//! [`Report::check_room_for`] before it merges a report into a stored total,
//! so its totals never clamp.

use crate::config::{SERVICE_LEVEL_SECONDS_RANGE, read_service_level_seconds};
use crate::error::Error;
use crate::families::availability::Availability;
use crate::families::contribution::Contribution;
use crate::families::engagement::Engagement;
use crate::families::friendliness::Friendliness;
use crate::families::prevention::Prevention;
use crate::families::productivity::Productivity;
use crate::families::speed::Speed;
use crate::families::time::{HourCounts, WeekHours};
use crate::families::{Base, Fact, Family, PARTS, ReadMode, Rules};
use crate::json::{Path, Reader, Writer, unknown_key};
use crate::noise::{Noise, Noiser};
use crate::sketch::Sketch;
use crate::tape::{Tape, optional};
use crate::time::{EARLIEST_TS, HOUR_MS, LATEST_TS};
use alloc::string::String;

mod envelope;
mod room;

use envelope::{PERIOD_BOUND, read_id, read_period};
pub use envelope::{Period, ReportId};

/// Calls `$each!` with the report's families, in their order: the order of
/// the saved-state tape, of the KPI object's sections and, within each
/// [`crate::families::Part`], of the report's members.
macro_rules! families {
    ($each:ident!($($args:tt)*)) => {
        $each! {$($args)*; engagement: Engagement, availability: Availability, speed: Speed,
            prevention: Prevention, friendliness: Friendliness, contribution: Contribution,
            productivity: Productivity, hours: WeekHours}
    };
}

/// Version of the report schema this build writes and reads.
pub const SCHEMA_VERSION: i64 = 1;

/// Aggregates of one site over a coarse period.
///
/// Its envelope is read through [`Report::site`], [`Report::id`],
/// [`Report::period`], [`Report::service_level_seconds`] and
/// [`Report::noise`], and changed only by the few named methods that keep
/// it consistent; the families' counts are read through [`Report::base`],
/// [`Report::each_counts`], [`Report::each_sketch`], [`Report::each_named`]
/// and the few accessors the collector needs, so that their layout stays
/// the engine's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The site's key.
    site: String,
    /// Random id of a report as sent; `None` for merged reports and engine totals.
    id: Option<ReportId>,
    /// Hours covered; `None` when nothing was counted.
    period: Option<Period>,
    /// The service-level threshold the counts were made with.
    service_level_seconds: u32,
    /// Differential-privacy noise in the counts; `None` when they are exact.
    noise: Option<Noise>,
    /// Engagement counts.
    pub(crate) engagement: Engagement,
    /// Availability counts.
    pub(crate) availability: Availability,
    /// Speed counts and sketches.
    pub(crate) speed: Speed,
    /// Prevention counts and tags.
    pub(crate) prevention: Prevention,
    /// Survey score histograms.
    pub(crate) friendliness: Friendliness,
    /// Conversion counts.
    pub(crate) contribution: Contribution,
    /// Message and closing counts.
    pub(crate) productivity: Productivity,
    /// Counts per hour of the week, local time.
    pub(crate) hours: WeekHours,
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

    /// The key of the site the counts are of; reports of different sites
    /// never merge.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The random id the engine gave the report as it sent it, by which the
    /// collector drops a retried copy; `None` for merged reports, engine
    /// totals and saved state (see [`Report::set_id`]).
    pub fn id(&self) -> Option<ReportId> {
        self.id
    }

    /// The whole hours the counts cover; `None` when nothing was counted
    /// (see [`Report::is_empty`]).
    pub fn period(&self) -> Option<Period> {
        self.period
    }

    /// The service-level threshold, in seconds, that speed counts against
    /// (answered in time or not); reports counted with different ones never merge.
    pub fn service_level_seconds(&self) -> u32 {
        self.service_level_seconds
    }

    /// The differential-privacy noise in the counts: how many noised
    /// reports were summed and their total variance; `None` when the counts
    /// are exact (and so never negative).
    pub fn noise(&self) -> Option<Noise> {
        self.noise
    }

    /// Marks the report with the id it is sent under, or unmarks it
    /// (`None`), as [`Report::merge`] does: a total is no sent report.
    pub fn set_id(&mut self, id: Option<ReportId>) {
        self.id = id;
    }

    /// Widens the period to the smallest one covering `period` too, as
    /// counting an event of another hour does; a report with no period
    /// gets `period`.
    pub fn cover(&mut self, period: Period) {
        self.period = Some(self.period.map_or(period, |mine| mine.union(period)));
    }

    /// Records that `noise` was added to the counts, on top of any noise
    /// already in them.
    pub fn add_noise(&mut self, noise: Noise) {
        Noise::merge(&mut self.noise, Some(noise));
    }

    /// Replaces the noise marker (feature `testing`): for tests that build
    /// reports no engine would send, such as a wrongly marked one.
    #[cfg(any(test, feature = "testing"))]
    pub fn set_noise(&mut self, noise: Option<Noise>) {
        self.noise = noise;
    }

    /// Adds `other` into this report, which then carries no id.
    ///
    /// Fails, leaving this report unchanged, when the sites or the
    /// service-level thresholds differ.
    pub fn merge(&mut self, other: &Report) -> Result<(), Error> {
        self.check_same_counting(other)?;
        self.id = None;
        if let Some(period) = other.period {
            self.cover(period);
        }
        Noise::merge(&mut self.noise, other.noise);
        macro_rules! merge {
            ($mine:ident, $theirs:ident; $($family:ident: $type:ty),*) => {
                $(Family::merge(&mut $mine.$family, &$theirs.$family);)*
            };
        }
        families!(merge!(self, other));
        Ok(())
    }

    /// The L1 sensitivity of the counts [`Report::privatize_families`] releases.
    pub const SENSITIVITY: i64 = {
        macro_rules! sum {
            (; $($family:ident: $type:ty),*) => { 0 $(+ <$type as Family>::SENSITIVITY)* };
        }
        families!(sum!())
    };

    /// Counts one fact of the tracker in every family.
    pub fn apply(&mut self, fact: &Fact) {
        let rules = Rules { service_level_seconds: self.service_level_seconds };
        macro_rules! apply {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.apply(fact, &rules);)* };
        }
        families!(apply!(self));
    }

    /// Clips, noises or drops every family's aggregates (see [`crate::dp::privatize`]).
    pub fn privatize_families(&mut self, noise: &mut Noiser) {
        macro_rules! privatize {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.privatize(noise);)* };
        }
        families!(privatize!(self));
    }

    /// Calls `each` with every count array of every family's report members,
    /// under the member's name (`"engagement"`, `"csat"`, …).
    pub fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        macro_rules! visit {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.each_counts(each);)* };
        }
        families!(visit!(self));
    }

    /// Calls `each` with every duration sketch of every family's report
    /// members, under the member's name (`"firstResponse"`, `"abandonWait"`, …).
    pub fn each_sketch(&self, each: &mut dyn FnMut(&str, &Sketch)) {
        macro_rules! visit {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.each_sketch(each);)* };
        }
        families!(visit!(self));
    }

    /// Calls `each` with every named count of the report: the member
    /// (`"tags"`, then `"goals"`), the name and its counts (a tag's count;
    /// a goal's count, value, and both after a chat: [`crate::families::contribution::goal`]).
    pub fn each_named(&self, each: &mut dyn FnMut(&str, &str, &[i64])) {
        for (name, counts) in self.prevention.tags.iter() {
            each("tags", name, counts);
        }
        for (name, counts) in self.contribution.goals.iter() {
            each("goals", name, counts);
        }
    }

    /// The counts every family's KPIs are relative to: page views, sessions,
    /// chats started (online and offline) and the service-level threshold.
    pub fn base(&self) -> Base {
        let mut base = Base { service_level_seconds: self.service_level_seconds, ..Base::default() };
        macro_rules! base {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.base(&mut base);)* };
        }
        families!(base!(self));
        base
    }

    /// The counts of local hour `week_hour` of the week (0..168, Monday
    /// 00:00 first; zeros beyond): page views, impressions, chats started.
    pub fn week_hour(&self, week_hour: usize) -> HourCounts {
        self.hours.get(week_hour)
    }

    /// The durations to a chat's first agent reply (member `firstResponse`).
    pub fn first_response(&self) -> &Sketch {
        &self.speed.first_response
    }

    /// The handle times of closed chats (member `handleTime`).
    pub fn handle_time(&self) -> &Sketch {
        &self.speed.handle
    }

    /// Writes every family's sections of the KPI object.
    pub fn write_family_kpis(&self, w: &mut Writer) {
        let base = self.base();
        macro_rules! kpis {
            ($report:ident; $($family:ident: $type:ty),*) => { $($report.$family.write_kpis(&base, w);)* };
        }
        families!(kpis!(self));
    }

    /// Fails when `other` is of another site or service-level threshold.
    fn check_same_counting(&self, other: &Report) -> Result<(), Error> {
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
        let (low, high) = SERVICE_LEVEL_SECONDS_RANGE;
        tape.int(&mut threshold, low, high);
        self.service_level_seconds = threshold as u32;
        optional(tape, &mut self.period, |tape, period| {
            tape.int(&mut period.from, BOUNDS.0, BOUNDS.1);
            tape.int(&mut period.to, BOUNDS.0, BOUNDS.1);
        });
        macro_rules! visit {
            ($report:ident; $($family:ident: $type:ty),*) => { $(Family::visit(&mut $report.$family, tape);)* };
        }
        families!(visit!(self));
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
            period.write(w);
        }
        w.key("serviceLevelSeconds");
        w.int(i64::from(self.service_level_seconds));
        if let Some(noise) = &self.noise {
            w.key("noise");
            noise.write(w);
        }
        macro_rules! write {
            ($report:ident, $part:ident; $($family:ident: $type:ty),*) => {
                $($report.$family.write_members($part, w);)*
            };
        }
        for part in PARTS {
            families!(write!(self, part));
        }
        w.end_object();
    }

    /// Decodes and validates a report: schema version, fields, ranges and sizes.
    pub fn decode(json: &[u8]) -> Result<Report, Error> {
        Report::decode_names(json, true)
    }

    /// Decodes a stored total: as [`Report::decode`], without the limit of
    /// 64 names (a collector before [`Report::check_room_for`] could store
    /// more; such a total still reads, and takes no further names).
    pub fn decode_total(json: &[u8]) -> Result<Report, Error> {
        Report::decode_names(json, false)
    }

    fn decode_names(json: &[u8], limited: bool) -> Result<Report, Error> {
        let root = Path::root("report");
        let mut r = Reader::new(json);
        let report = Report::read_names(&mut r, &root, limited)?;
        r.finish(&root)?;
        Ok(report)
    }

    /// Reads a report object at the reader's position.
    ///
    /// Counts may be negative only in a report with a `noise` member.
    pub fn read(r: &mut Reader, path: &Path) -> Result<Report, Error> {
        Report::read_names(r, path, true)
    }

    /// [`Report::read`], with goals and tags limited to 64 names when `limited`.
    fn read_names(r: &mut Reader, path: &Path, limited: bool) -> Result<Report, Error> {
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
                    threshold = Some(read_service_level_seconds(r, &at)?);
                }
                "noise" => report.noise = Some(Noise::read(r, &at)?),
                _ => {
                    if !report.read_counts(&name, r, path, (signed, limited))? {
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
    /// allows negative counters and scores (noised reports), `limited` limits
    /// goals and tags to 64 names.
    fn read_counts(&mut self, name: &str, r: &mut Reader, path: &Path, mode: (bool, bool)) -> Result<bool, Error> {
        let (signed, limited) = mode;
        let mode = ReadMode { signed, limited };
        macro_rules! read {
            ($report:ident; $($family:ident: $type:ty),*) => {
                $(if $report.$family.read_member(name, r, path, mode)? {
                    return Ok(true);
                })*
            };
        }
        families!(read!(self));
        Ok(false)
    }
}

/// Defines [`Families`] and [`FamiliesMut`], one field per family.
macro_rules! views {
    (; $($family:ident: $type:ty),*) => {
        /// Every family of a report, one field each, named as in the report's
        /// source: for tests that check counts no accessor gives.
        #[cfg(any(test, feature = "testing"))]
        #[allow(missing_docs)]
        pub struct Families<'a> {
            $(pub $family: &'a $type,)*
        }

        /// Every family of a report for updating: for tests that build
        /// reports the tracker never would (hostile, extreme, hand-made).
        #[cfg(any(test, feature = "testing"))]
        #[allow(missing_docs)]
        pub struct FamiliesMut<'a> {
            $(pub $family: &'a mut $type,)*
        }

        #[cfg(any(test, feature = "testing"))]
        impl Report {
            /// The families, for reading in tests (feature `testing`).
            pub fn families(&self) -> Families<'_> {
                Families { $($family: &self.$family,)* }
            }

            /// The families, for updating in tests (feature `testing`).
            pub fn families_mut(&mut self) -> FamiliesMut<'_> {
                FamiliesMut { $($family: &mut self.$family,)* }
            }
        }
    };
}
families!(views!());

/// True if the object at the reader's position has a member `key`; the
/// reader stays where it is. Malformed input answers false, and reading it
/// for real then reports the error.
fn has_member(r: &mut Reader, path: &Path, key: &str) -> bool {
    let start = r.position();
    let mut found = false;
    let mut scan = |r: &mut Reader| -> Result<(), Error> {
        r.enter_object(path)?;
        let mut first = true;
        while let Some(member) = r.next_key(&mut first, path)? {
            found |= member.is(key);
            let token = r.token(path)?;
            r.skip(token, path)?;
        }
        Ok(())
    };
    let _ = scan(r);
    r.rewind(start);
    found
}

#[cfg(test)]
mod tests;
