//! Hours and days: which hour a report is counted in, and the hour and day
//! buckets of a KPI query (days in the site's time zone).

use chrono::{DateTime, Days, NaiveDate, TimeZone};
use chrono_tz::Tz;
use std::time::{SystemTime, UNIX_EPOCH};
use support_kpi::Period;
use support_kpi::time::{DAY_MS, HOUR_MS, floor_hour};

/// A report whose period starts more than this after its receipt has a wrong clock.
pub const MAX_AHEAD_MS: i64 = HOUR_MS;
/// A report whose period started longer ago than this is counted when it arrived.
pub const MAX_AGE_MS: i64 = 35 * DAY_MS;

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// The UTC hour (ms) whose rollup a report is merged into: the hour of `period.from`.
///
/// Clock-skew rule: when the period starts more than [`MAX_AHEAD_MS`] after
/// `received_ms` (the device's clock runs ahead), or more than
/// [`MAX_AGE_MS`] before it (a clock far behind, a report kept offline for
/// weeks, or a period stretched back to rewrite old hours), the hour of
/// receipt is used instead, so a bad clock can neither put counts into the
/// future nor rewrite closed history. The report's own period is kept in the
/// rollup either way.
pub fn bucket_hour(period: Period, received_ms: i64) -> i64 {
    let ahead = period.from > received_ms + MAX_AHEAD_MS;
    let stale = period.from < received_ms - MAX_AGE_MS;
    if ahead || stale { floor_hour(received_ms) } else { period.from }
}

/// How a KPI query groups hours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// UTC hours.
    Hour,
    /// Calendar days in the site's time zone (23 or 25 hours across DST changes).
    Day,
}

impl Bucket {
    /// `hour` or `day`.
    pub fn parse(text: &str) -> Option<Bucket> {
        match text {
            "hour" => Some(Bucket::Hour),
            "day" => Some(Bucket::Day),
            _ => None,
        }
    }

    /// The query's name of this bucket.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
        }
    }

    /// The usual length of a bucket (a day may be an hour shorter or longer).
    pub fn nominal_ms(self) -> i64 {
        match self {
            Bucket::Hour => HOUR_MS,
            Bucket::Day => DAY_MS,
        }
    }

    /// Consecutive `[from, to)` buckets covering `from..to` (ms), widened to
    /// whole buckets; `None` if an instant is outside what time zones cover.
    pub fn split(self, zone: Tz, from: i64, to: i64) -> Option<Vec<(i64, i64)>> {
        match self {
            Bucket::Hour => {
                let end = floor_hour(to - 1) + HOUR_MS;
                Some((floor_hour(from)..end).step_by(HOUR_MS as usize).map(|h| (h, h + HOUR_MS)).collect())
            }
            Bucket::Day => {
                let mut day = local_date(zone, from)?;
                let last = local_date(zone, to - 1)?;
                let mut start = start_of_day(zone, day)?;
                let mut buckets = Vec::new();
                while day <= last {
                    day = day.checked_add_days(Days::new(1))?;
                    let end = start_of_day(zone, day)?;
                    buckets.push((start, end));
                    start = end;
                }
                Some(buckets)
            }
        }
    }
}

/// The calendar date of `ms` in `zone`.
fn local_date(zone: Tz, ms: i64) -> Option<NaiveDate> {
    Some(DateTime::from_timestamp_millis(ms)?.with_timezone(&zone).date_naive())
}

/// The first instant of `date` in `zone`: local midnight, or the first
/// quarter hour after it where midnight is skipped by a DST change.
fn start_of_day(zone: Tz, date: NaiveDate) -> Option<i64> {
    let midnight = date.and_hms_opt(0, 0, 0)?;
    (0..96).find_map(|quarter| {
        let local = midnight + chrono::Duration::minutes(15 * quarter);
        zone.from_local_datetime(&local).earliest().map(|instant| instant.timestamp_millis())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Europe, UTC};

    /// 2026-11-23T00:00:00Z.
    const MONDAY: i64 = 1_795_392_000_000;

    #[test]
    fn reports_count_in_the_hour_their_period_starts() {
        let period = Period { from: MONDAY, to: MONDAY + 3 * HOUR_MS };
        assert_eq!(bucket_hour(period, MONDAY + 90 * 60_000), MONDAY);
        assert_eq!(bucket_hour(period, MONDAY - 30 * 60_000), MONDAY, "a clock a little ahead is fine");
        assert_eq!(bucket_hour(period, MONDAY - HOUR_MS), MONDAY, "exactly one hour ahead is fine");
        assert_eq!(bucket_hour(period, MONDAY + 30 * DAY_MS), MONDAY, "a report kept offline for a month");
    }

    #[test]
    fn skewed_clocks_count_at_receipt() {
        let period = Period { from: MONDAY, to: MONDAY + HOUR_MS };
        let received = MONDAY - HOUR_MS - 1;
        assert_eq!(bucket_hour(period, received), floor_hour(received), "more than an hour ahead");
        let received = MONDAY + MAX_AGE_MS + 1;
        assert_eq!(bucket_hour(period, received), floor_hour(received), "started more than 35 days ago");
        assert_eq!(bucket_hour(period, MONDAY + MAX_AGE_MS), MONDAY, "exactly 35 days is kept");
        let stretched = Period { from: MONDAY - 400 * DAY_MS, to: MONDAY + HOUR_MS };
        assert_eq!(bucket_hour(stretched, MONDAY + 1), MONDAY, "a period reaching back a year counts now");
    }

    #[test]
    fn hour_buckets_are_whole_utc_hours() {
        let buckets = Bucket::Hour.split(UTC, MONDAY + 1, MONDAY + 2 * HOUR_MS).unwrap();
        assert_eq!(buckets, [(MONDAY, MONDAY + HOUR_MS), (MONDAY + HOUR_MS, MONDAY + 2 * HOUR_MS)]);
        let one = Bucket::Hour.split(UTC, MONDAY + 1, MONDAY + 2).unwrap();
        assert_eq!(one, [(MONDAY, MONDAY + HOUR_MS)]);
    }

    #[test]
    fn day_buckets_follow_the_time_zone_across_dst() {
        // 2026-03-28T12:00Z .. 2026-03-30T12:00Z in Amsterdam: the 29th has 23 hours.
        let spring = 1_774_699_200_000;
        let days = Bucket::Day.split(Europe::Amsterdam, spring, spring + 2 * DAY_MS).unwrap();
        let lengths: Vec<i64> = days.iter().map(|(from, to)| (to - from) / HOUR_MS).collect();
        assert_eq!(lengths, [24, 23, 24]);
        assert_eq!(days[0].0, 1_774_652_400_000, "2026-03-28T00:00+01:00");
        assert!(days.windows(2).all(|pair| pair[0].1 == pair[1].0), "contiguous");
        // 2026-10-25 has 25 hours.
        let autumn = 1_792_929_600_000; // 2026-10-25T12:00Z
        let days = Bucket::Day.split(Europe::Amsterdam, autumn, autumn + 1).unwrap();
        assert_eq!(days, [(1_792_879_200_000, 1_792_969_200_000)]);
        assert_eq!((days[0].1 - days[0].0) / HOUR_MS, 25);
    }

    #[test]
    fn a_day_without_midnight_starts_when_the_clock_jumps() {
        // Santiago skipped 2026-09-06T00:00 local: the day starts at 01:00 (-03:00), 04:00Z.
        let utc_midnight = 1_788_652_800_000; // 2026-09-06T00:00Z
        let afternoon = utc_midnight + 16 * HOUR_MS;
        let days = Bucket::Day.split(America::Santiago, afternoon, afternoon + 1).unwrap();
        assert_eq!(days[0].0, utc_midnight + 4 * HOUR_MS);
        assert_eq!((days[0].1 - days[0].0) / HOUR_MS, 23);
    }

    #[test]
    fn utc_days_end_at_midnight_exactly() {
        let days = Bucket::Day.split(UTC, MONDAY, MONDAY + DAY_MS).unwrap();
        assert_eq!(days, [(MONDAY, MONDAY + DAY_MS)]);
    }
}
