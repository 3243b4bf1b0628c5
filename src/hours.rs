//! Weekly opening hours in the site's local time.

use crate::error::Error;
use crate::json::{Path, Reader, unknown_key};
use alloc::vec::Vec;

/// Day keys as they appear in the configuration, Monday first.
pub const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Most ranges accepted for one day.
const MAX_RANGES_PER_DAY: usize = 8;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// Opening hours per weekday as half-open minute ranges `[start, end)`.
///
/// A day that is not listed is closed; a range includes its start and
/// excludes its end, and `"24:00"` may end a range.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpeningHours {
    days: [Vec<(u16, u16)>; 7],
}

impl OpeningHours {
    /// True if `minute` (of the day, local time) on `weekday` (0 = Monday) is inside opening hours.
    pub fn contains(&self, weekday: u8, minute: u16) -> bool {
        self.days
            .get(usize::from(weekday))
            .is_some_and(|ranges| ranges.iter().any(|&(start, end)| start <= minute && minute < end))
    }

    /// Reads `{ "mon": [["09:00", "17:30"]], … }`.
    pub fn read(r: &mut Reader, path: &Path) -> Result<Self, Error> {
        let mut hours = OpeningHours::default();
        r.members(path, |r, key| {
            let Some(day) = DAY_KEYS.iter().position(|name| key.is(name)) else {
                return Err(unknown_key(path, key));
            };
            let day_path = path.key(DAY_KEYS[day]);
            hours.days[day] = read_day(r, &day_path)?;
            Ok(())
        })?;
        Ok(hours)
    }
}

fn read_day(r: &mut Reader, path: &Path) -> Result<Vec<(u16, u16)>, Error> {
    let mut ranges = Vec::new();
    r.items(path, |r, index| {
        let range_path = path.index(index);
        if index >= MAX_RANGES_PER_DAY {
            return Err(Error::invalid(&range_path, "is one range too many (at most 8 a day)"));
        }
        let mut bounds = [0u16; 2];
        let mut count = 0;
        r.items(&range_path, |r, i| {
            let bound_path = range_path.index(i);
            if i >= 2 {
                return Err(Error::invalid(&bound_path, "is extra: a range is [start, end]"));
            }
            let text = r.text(&bound_path)?;
            bounds[i] = parse_time(&text, i == 1).ok_or_else(|| {
                Error::invalid(&bound_path, "must be a time \"HH:MM\" from 00:00 to 23:59 (24:00 may end a range)")
            })?;
            count += 1;
            Ok(())
        })?;
        if count != 2 {
            return Err(Error::invalid(&range_path, "must be a pair [start, end] such as [\"09:00\", \"17:30\"]"));
        }
        if bounds[0] >= bounds[1] {
            return Err(Error::invalid(
                &range_path,
                "must end after it starts (split a range that crosses midnight in two)",
            ));
        }
        ranges.push((bounds[0], bounds[1]));
        Ok(())
    })?;
    Ok(ranges)
}

/// Minutes since midnight for `"HH:MM"`; `"24:00"` only when `is_end`.
fn parse_time(text: &str, is_end: bool) -> Option<u16> {
    let b = text.as_bytes();
    if b.len() != 5 || b[2] != b':' || ![b[0], b[1], b[3], b[4]].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let hours = u16::from(b[0] - b'0') * 10 + u16::from(b[1] - b'0');
    let minutes = u16::from(b[3] - b'0') * 10 + u16::from(b[4] - b'0');
    let total = hours * 60 + minutes;
    let limit = if is_end { MINUTES_PER_DAY } else { MINUTES_PER_DAY - 1 };
    (minutes < 60 && total <= limit).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(json: &str) -> Result<OpeningHours, alloc::string::String> {
        OpeningHours::read(&mut Reader::new(json.as_bytes()), &Path::root("openingHours").key("openingHours"))
            .map_err(|e| e.message())
    }

    #[test]
    fn ranges_include_start_and_exclude_end() {
        let h = hours(r#"{"mon":[["09:00","17:30"]],"sat":[["22:00","24:00"]]}"#).unwrap();
        assert!(!h.contains(0, 9 * 60 - 1));
        assert!(h.contains(0, 9 * 60));
        assert!(h.contains(0, 17 * 60 + 29));
        assert!(!h.contains(0, 17 * 60 + 30));
        assert!(!h.contains(1, 10 * 60), "unlisted days are closed");
        assert!(h.contains(5, 23 * 60 + 59));
    }

    #[test]
    fn rejects_bad_ranges_naming_them() {
        let cases = [
            (
                r#"{"mon":[["17:00","09:00"]]}"#,
                "openingHours.mon[0]: must end after it starts (split a range that crosses midnight in two)",
            ),
            (
                r#"{"mon":[["9:00","17:00"]]}"#,
                "openingHours.mon[0][0]: must be a time \"HH:MM\" from 00:00 to 23:59 (24:00 may end a range)",
            ),
            (
                r#"{"mon":[["24:00","24:00"]]}"#,
                "openingHours.mon[0][0]: must be a time \"HH:MM\" from 00:00 to 23:59 (24:00 may end a range)",
            ),
            (
                r#"{"mon":[["09:00"]]}"#,
                "openingHours.mon[0]: must be a pair [start, end] such as [\"09:00\", \"17:30\"]",
            ),
            (r#"{"monday":[]}"#, "openingHours.monday: is not a known field"),
            (r#"{"mon":[],"mon":[]}"#, "openingHours.mon: appears more than once"),
            (r#"{"mon":"09:00-17:00"}"#, "openingHours.mon: must be an array, not a string"),
        ];
        for (json, message) in cases {
            assert_eq!(hours(json).unwrap_err(), message, "{json}");
        }
    }
}
