//! Measured demand per hour of the week, from the merged report of a range.
//!
//! Arrivals of a weekday-hour are the chats started in it over how many
//! times that local weekday-hour occurs in the range (the mean over the
//! weeks); presence is its online page views over its page views; the
//! handle time is the mean over the whole range.

use support_kpi::Report;
use support_kpi::families::time::WEEK_HOURS;
use support_kpi::time::{LocalClock, ZoneRules};

/// Quarter hours: every zone's offset is a whole number of them.
const QUARTER_HOUR_MS: i64 = 15 * 60_000;

/// The demand of one local hour of the week.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HourDemand {
    /// How many times this hour occurs in the range (fractions at the range's ends).
    pub occurrences: f64,
    /// Chats started in it over the range.
    pub chats_started: i64,
    /// Mean chats started per occurrence: the arrivals per hour.
    pub arrivals_per_hour: f64,
    /// Page views in it while chat was online.
    pub online_page_views: i64,
    /// Page views in it.
    pub page_views: i64,
}

/// The demand of a range.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekDemand {
    /// The 168 hours of the week, Monday 00:00 local first.
    pub hours: Vec<HourDemand>,
    /// Chats whose handle time is known.
    pub handled: i64,
    /// Their mean handle time in seconds, if any.
    pub handle_seconds: Option<f64>,
}

/// The demand in `report` (merged over `from..to`, ms) with local hours of `clock`.
pub fn measure<Z: ZoneRules>(report: &Report, clock: &mut LocalClock<Z>, from: i64, to: i64) -> WeekDemand {
    let mut occurrences = [0.0f64; WEEK_HOURS];
    let mut quarter = from.div_euclid(QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    while quarter < to {
        let start = quarter.max(from);
        let end = (quarter + QUARTER_HOUR_MS).min(to);
        occurrences[clock.local(start).week_hour()] += (end - start) as f64 / (4 * QUARTER_HOUR_MS) as f64;
        quarter += QUARTER_HOUR_MS;
    }
    let hours = occurrences
        .iter()
        .enumerate()
        .map(|(week_hour, &occurrences)| {
            let counts = report.week_hour(week_hour);
            let arrivals_per_hour =
                if occurrences > 0.0 { counts.chats_started.max(0) as f64 / occurrences } else { 0.0 };
            HourDemand {
                occurrences,
                chats_started: counts.chats_started,
                arrivals_per_hour,
                online_page_views: counts.online_page_views,
                page_views: counts.page_views,
            }
        })
        .collect();
    let handle = report.handle_time();
    WeekDemand { hours, handled: handle.count(), handle_seconds: handle.mean_ms().map(|ms| ms / 1000.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use support_kpi::NativeEngine;
    use support_kpi::time::HOUR_MS;

    /// 2026-11-23T00:00:00Z, a Monday.
    const MONDAY: i64 = 1_795_392_000_000;

    fn clock(zone: &str) -> LocalClock<chrono_tz::Tz> {
        LocalClock::new(zone, chrono_tz::Tz::load(zone).unwrap())
    }

    #[test]
    fn arrivals_are_the_mean_over_the_weeks_of_the_range() {
        let mut engine = NativeEngine::from_config_json(br#"{"siteKey":"s"}"#).unwrap();
        let week = 7 * 24 * HOUR_MS;
        // Mondays 09:00 UTC of two weeks: 3 chats, then 1, each lasting 2 minutes.
        for (week_index, chats) in [(0, 3), (1, 1)] {
            for chat in 0..chats {
                let start = MONDAY + week_index * week + 9 * HOUR_MS + chat * 600_000;
                engine.track_json(format!(r#"{{"type":"chat_started","ts":{start}}}"#).as_bytes()).unwrap();
                let end = start + 120_000;
                engine.track_json(format!(r#"{{"type":"chat_ended","ts":{end}}}"#).as_bytes()).unwrap();
            }
        }
        let demand = measure(&engine.totals(), &mut clock("UTC"), MONDAY, MONDAY + 2 * week);
        let nine = demand.hours[9];
        assert_eq!((nine.occurrences, nine.chats_started, nine.arrivals_per_hour), (2.0, 4, 2.0));
        assert_eq!(demand.hours[10].arrivals_per_hour, 0.0);
        assert_eq!((demand.handled, demand.handle_seconds), (4, Some(120.0)));
        assert!(demand.hours.iter().all(|hour| hour.occurrences == 2.0));
    }

    #[test]
    fn occurrences_follow_local_time_and_the_ends_of_the_range() {
        let empty = Report::empty("s", 60);
        // Half a day from Monday 00:00 UTC in Kolkata (UTC+5:30): 05:30 to 17:30 local.
        let demand = measure(&empty, &mut clock("Asia/Kolkata"), MONDAY, MONDAY + 12 * HOUR_MS);
        assert_eq!(demand.hours[5].occurrences, 0.5);
        assert_eq!(demand.hours[6].occurrences, 1.0);
        assert_eq!(demand.hours[17].occurrences, 0.5);
        assert_eq!(demand.hours[18].occurrences, 0.0);
        let total: f64 = demand.hours.iter().map(|hour| hour.occurrences).sum();
        assert_eq!(total, 12.0);
        assert_eq!(demand.handle_seconds, None);
    }
}
