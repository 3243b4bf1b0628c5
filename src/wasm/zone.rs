//! Time-zone offsets from the browser's `Intl`, so the module carries no zone tables.

use crate::json::Writer;
use crate::time::{ZoneRules, days_from_civil};
use alloc::string::String;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat` (declared here for its throwing constructor,
    /// which js-sys offers only behind its unstable APIs).
    #[wasm_bindgen(js_namespace = Intl)]
    pub(super) type DateTimeFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locale: &str, options: &JsValue) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method)]
    fn format(this: &DateTimeFormat, utc_ms: f64) -> String;
}

/// A time zone whose offsets come from `Intl.DateTimeFormat`; UTC needs none.
pub enum IntlZone {
    /// UTC (the default): offset 0, no `Intl` calls.
    Utc,
    /// Any other IANA zone.
    Named(DateTimeFormat),
}

impl ZoneRules for IntlZone {
    fn load(name: &str) -> Option<Self> {
        if matches!(name, "UTC" | "Etc/UTC") {
            return Some(IntlZone::Utc);
        }
        // en-US with numeric fields formats as "11/23/2026, 14:05".
        let mut options = Writer::new();
        options.begin_object();
        for (key, value) in [("timeZone", name), ("hourCycle", "h23")] {
            options.key(key);
            options.string(value);
        }
        for key in ["year", "month", "day", "hour", "minute"] {
            options.key(key);
            options.string("numeric");
        }
        options.end_object();
        let options = super::json_parse(&options.into_string()).ok()?;
        let format = DateTimeFormat::new("en-US", &options).ok()?;
        Some(IntlZone::Named(format))
    }

    fn offset_minutes(&mut self, utc_ms: i64) -> i32 {
        let IntlZone::Named(format) = self else { return 0 };
        let text = format.format(utc_ms as f64);
        let mut fields = [0i64; 5];
        let mut count = 0;
        for run in text.split(|c: char| !c.is_ascii_digit()).filter(|run| !run.is_empty()) {
            if let Some(field) = fields.get_mut(count) {
                *field = run.bytes().fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
                count += 1;
            }
        }
        if count != 5 {
            return 0;
        }
        let [month, day, year, hour, minute] = fields;
        let local_minutes = days_from_civil(year, month, day) * 1440 + (hour % 24) * 60 + minute;
        (local_minutes - utc_ms.div_euclid(60_000)) as i32
    }
}
