//! Zone rules from the IANA database compiled into native builds.

use super::ZoneRules;
use chrono::{DateTime, Offset, TimeZone};

impl ZoneRules for chrono_tz::Tz {
    fn load(name: &str) -> Option<Self> {
        name.parse().ok()
    }

    fn offset_minutes(&mut self, utc_ms: i64) -> i32 {
        let Some(instant) = DateTime::from_timestamp_millis(utc_ms) else {
            return 0;
        };
        self.offset_from_utc_datetime(&instant.naive_utc()).fix().local_minus_utc() / 60
    }
}

#[cfg(test)]
mod tests {
    use super::super::{LocalClock, ZoneRules};

    #[test]
    fn amsterdam_switches_to_summer_time() {
        let mut zone = chrono_tz::Tz::load("Europe/Amsterdam").unwrap();
        // 2026-03-29T00:59:59Z is 01:59:59 CET; one second later it is 03:00 CEST.
        assert_eq!(zone.offset_minutes(1_774_745_999_000), 60);
        assert_eq!(zone.offset_minutes(1_774_746_000_000), 120);
        let mut clock = LocalClock::new("Europe/Amsterdam", zone);
        assert_eq!(clock.local(1_774_745_999_000).minute, 60 + 59);
        assert_eq!(clock.local(1_774_746_000_000).minute, 3 * 60);
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!(chrono_tz::Tz::load("Mars/Olympus_Mons").is_none());
        assert!(chrono_tz::Tz::load("Asia/Kathmandu").is_some());
    }
}
