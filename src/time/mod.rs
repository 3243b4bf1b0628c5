//! Local time of an instant in the site's time zone.
//!
//! Time always comes in from the caller (`ts` of each event); the core never
//! reads a clock. Time-zone rules are supplied from outside through
//! [`ZoneRules`]: natively from the IANA database compiled in with
//! `chrono-tz`, in the browser from `Intl`, so the WebAssembly build carries
//! no zone tables.

#[cfg(not(target_arch = "wasm32"))]
mod native;
mod table;

pub use table::OffsetTable;

/// Milliseconds in one hour.
pub const HOUR_MS: i64 = 3_600_000;
/// Milliseconds in one day.
pub const DAY_MS: i64 = 24 * HOUR_MS;
/// 2000-01-01T00:00:00Z, the earliest accepted event time.
pub const EARLIEST_TS: i64 = 946_684_800_000;
/// 2100-01-01T00:00:00Z, the first rejected event time.
pub const LATEST_TS: i64 = 4_102_444_800_000;

/// A source of UTC offsets for one time zone.
pub trait ZoneRules: Sized {
    /// The zone with IANA name `name`, or `None` if it is unknown.
    fn load(name: &str) -> Option<Self>;
    /// Minutes to add to UTC to get the local time at the instant `utc_ms`.
    fn offset_minutes(&mut self, utc_ms: i64) -> i32;
}

/// A zone with a constant offset; `load` knows only `"UTC"` and `"Etc/UTC"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedOffset(pub i32);

impl ZoneRules for FixedOffset {
    fn load(name: &str) -> Option<Self> {
        matches!(name, "UTC" | "Etc/UTC").then_some(FixedOffset(0))
    }

    fn offset_minutes(&mut self, _utc_ms: i64) -> i32 {
        self.0
    }
}

/// Weekday and minute of the day of an instant in local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// Minutes since local midnight, 0..1440.
    pub minute: u16,
}

impl LocalTime {
    /// The local time of `utc_ms` at `offset_minutes` from UTC.
    pub fn at(utc_ms: i64, offset_minutes: i32) -> Self {
        let local = utc_ms + i64::from(offset_minutes) * 60_000;
        // 1970-01-01 was a Thursday: weekday 3 when Monday is 0.
        let weekday = (local.div_euclid(DAY_MS) + 3).rem_euclid(7) as u8;
        let minute = (local.rem_euclid(DAY_MS) / 60_000) as u16;
        LocalTime { weekday, minute }
    }

    /// The local hour, 0..24.
    pub fn hour(&self) -> usize {
        usize::from(self.minute / 60)
    }

    /// The hour of the week, 0..168, Monday 00:00 first.
    pub fn week_hour(&self) -> usize {
        usize::from(self.weekday) * 24 + self.hour()
    }
}

/// Zone rules with a cache: offsets are looked up once per quarter hour of UTC,
/// in the caller's [`OffsetTable`] when it covers the instant, else in the
/// zone's rules, which are loaded only when first needed.
///
/// Every zone's offset has been a whole number of quarter hours since 2000,
/// and since 2011 every change happens on a quarter-hour instant (before
/// that, America/St_Johns switched at 00:01 local), so a cached offset is
/// never stale for current data.
#[derive(Clone, Debug)]
pub struct LocalClock<Z> {
    name: alloc::string::String,
    table: Option<OffsetTable>,
    zone: Option<Z>,
    cached: Option<(i64, i32)>,
}

const QUARTER_HOUR_MS: i64 = 15 * 60_000;

impl<Z: ZoneRules> LocalClock<Z> {
    /// A clock for the zone `name` with its rules loaded.
    pub fn new(name: &str, zone: Z) -> Self {
        LocalClock { name: alloc::string::String::from(name), table: None, zone: Some(zone), cached: None }
    }

    /// A clock for the zone `name` that reads `table` first and loads the
    /// zone's rules only for instants outside it.
    pub fn with_table(name: &str, table: OffsetTable) -> Self {
        LocalClock { name: alloc::string::String::from(name), table: Some(table), zone: None, cached: None }
    }

    /// The local time of `utc_ms`.
    pub fn local(&mut self, utc_ms: i64) -> LocalTime {
        let slot = utc_ms.div_euclid(QUARTER_HOUR_MS);
        let offset = match self.cached {
            Some((cached_slot, offset)) if cached_slot == slot => offset,
            _ => {
                let offset = self.offset(utc_ms);
                self.cached = Some((slot, offset));
                offset
            }
        };
        LocalTime::at(utc_ms, offset)
    }

    fn offset(&mut self, utc_ms: i64) -> i32 {
        if let Some(offset) = self.table.as_ref().and_then(|table| table.offset_at(utc_ms)) {
            return offset;
        }
        if self.zone.is_none() {
            self.zone = Z::load(&self.name);
        }
        // A zone the rules do not know (only possible with a table) counts as UTC.
        self.zone.as_mut().map_or(0, |zone| zone.offset_minutes(utc_ms))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Howard Hinnant's algorithm: years start in March so leap days come last.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The start of the UTC hour containing `ts`.
pub fn floor_hour(ts: i64) -> i64 {
    ts - ts.rem_euclid(HOUR_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_and_minute() {
        // 2026-11-23T10:15:00Z is a Monday.
        let ts = 1_795_428_900_000;
        assert_eq!(LocalTime::at(ts, 0), LocalTime { weekday: 0, minute: 10 * 60 + 15 });
        assert_eq!(LocalTime::at(ts, 60).minute, 11 * 60 + 15);
        // Fourteen hours behind UTC it is still Sunday evening.
        assert_eq!(LocalTime::at(ts, -14 * 60), LocalTime { weekday: 6, minute: 20 * 60 + 15 });
        assert_eq!(LocalTime::at(ts, 0).week_hour(), 10);
    }

    #[test]
    fn civil_dates_to_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 23) * DAY_MS, 1_795_392_000_000);
        assert_eq!(days_from_civil(2100, 1, 1) * DAY_MS, LATEST_TS);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn floors_to_hours() {
        assert_eq!(floor_hour(1_795_428_900_000), 1_795_428_000_000);
        assert_eq!(floor_hour(1_795_428_000_000), 1_795_428_000_000);
    }
}
