//! Time buckets: counts per hour of the week in the site's local time, so a
//! dashboard can show trends by hour of day and the hours that lack coverage.

use super::{Base, Fact, Family, Part, ReadMode, Rules};
use crate::counters::{bump, counters};
use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::noise::Noiser;
use crate::tape::Tape;
use alloc::boxed::Box;
use alloc::vec::Vec;

/// Hours in a week.
pub const WEEK_HOURS: usize = 7 * 24;

/// The matrices of the KPI object's `byWeekdayHour`, in the order they are
/// written (each 7 × 24, Monday first); `byHour` holds every counter of an
/// hour ([`HourCounts::NAMES`]).
pub const WEEK_MATRICES: [&str; 4] = ["pageViews", "onlinePageViews", "inHoursPageViews", "chatsStarted"];

counters! {
    /// Counts of one hour of the week.
    HourCounts {
        /// Page views.
        page_views,
        /// Viewable launcher impressions.
        impressions,
        /// Chats started.
        chats_started,
        /// Page views while chat was online.
        online_page_views,
        /// Page views inside opening hours.
        in_hours_page_views,
    }
}

/// [`HourCounts`] for each of the 168 hours of the week, Monday 00:00 first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekHours {
    hours: Box<[HourCounts; WEEK_HOURS]>,
}

impl Default for WeekHours {
    fn default() -> Self {
        WeekHours { hours: Box::new([HourCounts::default(); WEEK_HOURS]) }
    }
}

impl WeekHours {
    /// The counts of hour `week_hour` (0..168) for updating.
    pub fn at(&mut self, week_hour: usize) -> &mut HourCounts {
        &mut self.hours[week_hour.min(WEEK_HOURS - 1)]
    }

    /// The counts of every hour of the week, Monday 00:00 first.
    pub fn iter(&self) -> impl Iterator<Item = &HourCounts> {
        self.hours.iter()
    }

    /// The counts of hour `week_hour` (0..168, Monday 00:00 first); zeros beyond.
    pub fn get(&self, week_hour: usize) -> HourCounts {
        self.hours.get(week_hour).copied().unwrap_or_default()
    }
}

/// Page views, impressions and chats started, by the local hour they happened in.
impl Family for WeekHours {
    const SENSITIVITY: i64 = 0;

    fn apply(&mut self, fact: &Fact, _: &Rules) {
        match *fact {
            Fact::PageViewed { in_hours, online, week_hour, .. } => {
                let hour = self.at(week_hour);
                bump(&mut hour.page_views);
                if in_hours {
                    bump(&mut hour.in_hours_page_views);
                }
                if online {
                    bump(&mut hour.online_page_views);
                }
            }
            Fact::ButtonShown { week_hour } => bump(&mut self.at(week_hour).impressions),
            Fact::ChatStarted { week_hour, .. } => bump(&mut self.at(week_hour).chats_started),
            _ => {}
        }
    }

    fn merge(&mut self, other: &WeekHours) {
        for (mine, theirs) in self.hours.iter_mut().zip(other.hours.iter()) {
            mine.merge(theirs);
        }
    }

    /// The hours with any count: their number, then index and counts of each.
    fn visit(&mut self, tape: &mut dyn Tape) {
        let used: Vec<(i64, HourCounts)> = self
            .hours
            .iter()
            .enumerate()
            .filter(|(_, h)| **h != HourCounts::default())
            .map(|(i, h)| (i as i64, *h))
            .collect();
        let len = tape.len(used.len(), WEEK_HOURS);
        let mut week = WeekHours::default();
        for i in 0..len {
            let (mut index, mut counts) = used.get(i).copied().unwrap_or_default();
            tape.int(&mut index, 0, WEEK_HOURS as i64 - 1);
            counts.visit(tape);
            week.at(index as usize).merge(&counts);
        }
        *self = week;
    }

    fn write_members(&self, part: Part, w: &mut Writer) {
        if part == Part::Histograms && *self != WeekHours::default() {
            w.key("hours");
            self.write(w);
        }
    }

    /// Each hour with any count, as `hours.HOUR` (its label in the report).
    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        let mut member = alloc::string::String::new();
        for (index, hour) in self.hours.iter().enumerate().filter(|(_, h)| **h != HourCounts::default()) {
            member.clear();
            member.push_str("hours.");
            crate::json::push_u64(&mut member, index as u64);
            each(&member, &hour.values());
        }
    }

    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, _: ReadMode) -> Result<bool, Error> {
        if key != "hours" {
            return Ok(false);
        }
        *self = WeekHours::read(r, &path.key(key))?;
        Ok(true)
    }

    /// Hours of the week have no small sensitivity: they are not sent.
    fn privatize(&mut self, _: &mut Noiser) {
        *self = WeekHours::default();
    }

    fn write_kpis(&self, _: &Base, w: &mut Writer) {
        self.write_by_hour(w);
    }
}

impl WeekHours {
    /// Writes `{"hourOfWeek":[counts…],…}` for the hours with any count.
    fn write(&self, w: &mut Writer) {
        let mut label = alloc::string::String::new();
        w.begin_object();
        for (index, hour) in self.hours.iter().enumerate().filter(|(_, h)| **h != HourCounts::default()) {
            label.clear();
            crate::json::push_u64(&mut label, index as u64);
            w.key(&label);
            hour.write(w);
        }
        w.end_object();
    }

    /// Reads what [`WeekHours::write`] wrote.
    fn read(r: &mut Reader, path: &Path) -> Result<WeekHours, Error> {
        let mut week = WeekHours::default();
        r.members(path, |r, key| {
            let label = key.decode().unwrap_or_default();
            let at = path.key(&label);
            let hour = parse_hour(&label)
                .and_then(|index| week.hours.get_mut(index))
                .ok_or_else(|| Error::invalid(&at, "must be an hour of the week from 0 to 167"))?;
            *hour = HourCounts::read(r, &at, false)?;
            Ok(())
        })?;
        Ok(week)
    }

    /// Writes the KPI object's `byHour` (24 hours of the day) and
    /// `byWeekdayHour` (7 × 24 matrices, Monday first).
    fn write_by_hour(&self, w: &mut Writer) {
        w.key("byHour");
        w.begin_array();
        for hour in 0..24 {
            let mut day = HourCounts::default();
            for hours_of_day in self.hours.chunks(24) {
                if let Some(counts) = hours_of_day.get(hour) {
                    day.merge(counts);
                }
            }
            w.begin_object();
            super::camel_counts(w, HourCounts::NAMES, &day.values());
            w.end_object();
        }
        w.end_array();
        w.key("byWeekdayHour");
        w.begin_object();
        let matrices: [(&str, Column); 4] = [
            (WEEK_MATRICES[0], |h| h.page_views),
            (WEEK_MATRICES[1], |h| h.online_page_views),
            (WEEK_MATRICES[2], |h| h.in_hours_page_views),
            (WEEK_MATRICES[3], |h| h.chats_started),
        ];
        for (key, field) in matrices {
            w.key(key);
            w.begin_array();
            for day in self.hours.chunks(24) {
                w.begin_array();
                for hour in day {
                    w.int(field(hour));
                }
                w.end_array();
            }
            w.end_array();
        }
        w.end_object();
    }
}

/// Picks one count of an hour.
type Column = fn(&HourCounts) -> i64;

/// A canonical decimal 0..168 (no sign, no leading zeros).
fn parse_hour(label: &str) -> Option<usize> {
    let canonical = !label.is_empty()
        && label.len() <= 3
        && label.bytes().all(|b| b.is_ascii_digit())
        && (label == "0" || !label.starts_with('0'));
    if !canonical {
        return None;
    }
    let value: usize = label.bytes().fold(0, |acc, b| acc * 10 + usize::from(b - b'0'));
    (value < WEEK_HOURS).then_some(value)
}
