//! The engine's configuration, as given to `new KpiEngine(config)`.

use crate::error::Error;
use crate::hours::OpeningHours;
use crate::json::{Path, Reader, Token, not_listed, unknown_key, wrong_type};
use crate::schema::{
    ATTRIBUTION_DAYS, Bounds, CONFIG_CODES, CONFIG_NAMES, DP_EPSILON, KeyCode, SERVICE_LEVEL_SECONDS,
    SESSION_TIMEOUT_MINUTES,
};
use crate::time::OffsetTable;
use alloc::string::String;
use alloc::vec::Vec;

/// Most goals or tags a configuration may allow.
pub const MAX_NAMES: usize = 32;

/// What the engine measures and how, for one site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The site's key, `[a-z0-9_-]{1,64}`.
    pub site_key: String,
    /// IANA time zone for hour/day buckets and opening hours (default `"UTC"`).
    pub time_zone: String,
    /// Offsets of `time_zone` the caller already knows (optional); the zone's
    /// rules are then needed only outside the table's span.
    pub time_zone_table: Option<OffsetTable>,
    /// Weekly opening hours; `None` means always open.
    pub opening_hours: Option<OpeningHours>,
    /// First responses within this many seconds meet the service level
    /// (range and default: [`SERVICE_LEVEL_SECONDS`]).
    pub service_level_seconds: u32,
    /// Conversion goals that may be tracked.
    pub goals: Vec<String>,
    /// Tags that may be tracked (`complaint` must be listed to count complaints).
    pub tags: Vec<String>,
    /// Days after a chat in which a conversion counts as "after chat", 0 for
    /// the chat's session only (range and default: [`ATTRIBUTION_DAYS`]).
    pub attribution_days: u32,
    /// Minutes of inactivity that end a session (range and default: [`SESSION_TIMEOUT_MINUTES`]).
    pub session_timeout_minutes: u32,
    /// Differential privacy: ε in thousandths for the reports to send
    /// (`dpEpsilon`, range: [`DP_EPSILON`]); `None` sends exact counts.
    pub dp_epsilon_milli: Option<u32>,
}

impl Config {
    /// The defaults of docs/kpis.md for `site_key`.
    pub fn new(site_key: &str) -> Self {
        Config {
            site_key: String::from(site_key),
            time_zone: String::from("UTC"),
            time_zone_table: None,
            opening_hours: None,
            service_level_seconds: const { default(SERVICE_LEVEL_SECONDS) },
            goals: Vec::new(),
            tags: Vec::new(),
            attribution_days: const { default(ATTRIBUTION_DAYS) },
            session_timeout_minutes: const { default(SESSION_TIMEOUT_MINUTES) },
            dp_epsilon_milli: None,
        }
    }

    /// Decodes and validates a configuration object; unknown keys are errors.
    pub fn decode(json: &[u8]) -> Result<Self, Error> {
        let root = Path::root("config");
        let mut r = Reader::new(json);
        let mut config = Config::new("");
        let mut site_key = None;
        r.members(&root, |r, key| {
            let Some(index) = CONFIG_NAMES.iter().position(|name| key.is(name)) else {
                return Err(unknown_key(&root, key));
            };
            let path = root.key(CONFIG_NAMES[index]);
            match CONFIG_CODES[index] {
                KeyCode::SiteKey => site_key = Some(r.slug(&path)?),
                KeyCode::TimeZone => config.time_zone = read_zone_name(r, &path)?,
                KeyCode::TimeZoneTable => config.time_zone_table = Some(OffsetTable::read(r, &path)?),
                KeyCode::OpeningHours => config.opening_hours = r.nullable(&path, |r| OpeningHours::read(r, &path))?,
                KeyCode::ServiceLevelSeconds => {
                    config.service_level_seconds = read_service_level_seconds(r, &path)?;
                }
                KeyCode::Goals => config.goals = read_names(r, &path)?,
                KeyCode::Tags => config.tags = read_names(r, &path)?,
                KeyCode::AttributionDays => config.attribution_days = read_bounded(r, &path, ATTRIBUTION_DAYS)?,
                KeyCode::SessionTimeoutMinutes => {
                    config.session_timeout_minutes = read_bounded(r, &path, SESSION_TIMEOUT_MINUTES)?;
                }
                KeyCode::DpEpsilon => config.dp_epsilon_milli = r.nullable(&path, |r| read_epsilon(r, &path))?,
            }
            Ok(())
        })?;
        r.finish(&root)?;
        config.site_key = site_key.ok_or_else(|| Error::missing(&root.key("siteKey")))?;
        Ok(config)
    }

    /// Index of `goal` in the allowed goals.
    pub fn goal_index(&self, goal: &str, path: &Path) -> Result<u8, Error> {
        position(&self.goals, goal).ok_or_else(|| not_listed(path, goal, "configured goals"))
    }

    /// Index of `tag` in the allowed tags.
    pub fn tag_index(&self, tag: &str, path: &Path) -> Result<u8, Error> {
        position(&self.tags, tag).ok_or_else(|| not_listed(path, tag, "configured tags"))
    }

    /// True if `local` is inside the opening hours (always, when none are configured).
    pub fn in_opening_hours(&self, local: crate::time::LocalTime) -> bool {
        self.opening_hours.as_ref().is_none_or(|hours| hours.contains(local.weekday, local.minute))
    }

    /// Session timeout in milliseconds.
    pub fn session_timeout_ms(&self) -> i64 {
        i64::from(self.session_timeout_minutes) * 60_000
    }

    /// Attribution window in milliseconds.
    pub fn attribution_ms(&self) -> i64 {
        i64::from(self.attribution_days) * crate::time::DAY_MS
    }
}

/// The default of an integer key that has one (evaluated at compile time).
const fn default(bounds: Bounds) -> u32 {
    match bounds.default {
        Some(value) => value as u32,
        None => panic!("the key has no default"),
    }
}

/// Reads an integer key within its bounds (inlined: the bounds become constants at each call).
#[inline(always)]
fn read_bounded(r: &mut Reader, path: &Path, bounds: Bounds) -> Result<u32, Error> {
    Ok(r.integer(path, bounds.low, bounds.high, bounds.message)? as u32)
}

fn position(names: &[String], name: &str) -> Option<u8> {
    names.iter().position(|n| n == name).map(|i| i as u8)
}

/// An IANA-shaped name; whether the zone exists is decided by the zone rules.
fn read_zone_name(r: &mut Reader, path: &Path) -> Result<String, Error> {
    let name = r.text(path)?;
    let shaped = (1..=64).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-' | b'+'));
    if !shaped {
        return Err(Error::invalid(path, "must be an IANA time zone name such as \"Europe/Amsterdam\""));
    }
    Ok(name.into_owned())
}

/// Smallest and largest `serviceLevelSeconds` accepted (config, reports, saved states, the collector).
pub const SERVICE_LEVEL_SECONDS_RANGE: (i64, i64) = (SERVICE_LEVEL_SECONDS.low, SERVICE_LEVEL_SECONDS.high);

/// The error for a `serviceLevelSeconds` outside [`SERVICE_LEVEL_SECONDS_RANGE`].
pub const SERVICE_LEVEL_SECONDS_BOUND: &str = SERVICE_LEVEL_SECONDS.message;

/// Reads a service-level threshold in seconds.
pub fn read_service_level_seconds(r: &mut Reader, path: &Path) -> Result<u32, Error> {
    read_bounded(r, path, SERVICE_LEVEL_SECONDS)
}

/// Smallest and largest ε (`dpEpsilon`) accepted, in thousandths.
pub const EPSILON_MILLI_RANGE: (i64, i64) = (DP_EPSILON.low, DP_EPSILON.high);

/// ε of differential privacy, in thousandths (rounded).
fn read_epsilon(r: &mut Reader, path: &Path) -> Result<u32, Error> {
    let (low, high) = EPSILON_MILLI_RANGE;
    match r.token(path)? {
        Token::Number(number) => number
            .fixed(3)
            .filter(|milli| (low..=high).contains(milli))
            .map(|milli| milli as u32)
            .ok_or_else(|| Error::invalid(path, DP_EPSILON.message)),
        other => Err(wrong_type(path, "a number", other)),
    }
}

fn read_names(r: &mut Reader, path: &Path) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = Vec::new();
    r.items(path, |r, index| {
        let item = path.index(index);
        if index >= MAX_NAMES {
            return Err(Error::invalid(&item, "is one too many (at most 32 names)"));
        }
        let name = r.slug(&item)?;
        if names.contains(&name) {
            return Err(Error::invalid(&item, "repeats an earlier name"));
        }
        names.push(name);
        Ok(())
    })?;
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Result<Config, String> {
        Config::decode(json.as_bytes()).map_err(|e| e.message())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let config = decode(r#"{"siteKey":"acme-help"}"#).unwrap();
        assert_eq!(config, Config::new("acme-help"));
        assert_eq!(config.time_zone, "UTC");
        assert_eq!(
            (config.service_level_seconds, config.attribution_days, config.session_timeout_minutes),
            (60, 7, 30)
        );
    }

    #[test]
    fn reads_every_key() {
        let config = decode(
            r#"{"siteKey":"acme","timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]]},
               "serviceLevelSeconds":30,"goals":["purchase","signup"],"tags":["complaint"],
               "attributionDays":0,"sessionTimeoutMinutes":45,"dpEpsilon":0.5}"#,
        )
        .unwrap();
        assert_eq!(config.time_zone, "Europe/Amsterdam");
        assert!(config.opening_hours.as_ref().unwrap().contains(0, 9 * 60));
        assert_eq!(config.goals, ["purchase", "signup"]);
        assert_eq!(config.tags, ["complaint"]);
        assert_eq!(config.dp_epsilon_milli, Some(500));
        assert_eq!(
            (config.service_level_seconds, config.attribution_days, config.session_timeout_minutes),
            (30, 0, 45)
        );
    }

    #[test]
    fn rejects_bad_configs_naming_the_key() {
        let cases = [
            ("{}", "siteKey: is required"),
            (r#"{"siteKey":"Acme Help"}"#, "siteKey: must be 1 to 64 characters from a-z, 0-9, '_' and '-'"),
            (r#"{"siteKey":"a","colour":1}"#, "colour: is not a known field"),
            (r#"{"siteKey":"a","serviceLevelSeconds":0}"#, "serviceLevelSeconds: must be an integer from 1 to 86400"),
            (r#"{"siteKey":"a","serviceLevelSeconds":"60"}"#, "serviceLevelSeconds: must be a number, not a string"),
            (
                r#"{"siteKey":"a","sessionTimeoutMinutes":0}"#,
                "sessionTimeoutMinutes: must be an integer from 1 to 1440",
            ),
            (r#"{"siteKey":"a","attributionDays":-1}"#, "attributionDays: must be an integer from 0 to 365"),
            (r#"{"siteKey":"a","goals":["buy","buy"]}"#, "goals[1]: repeats an earlier name"),
            (r#"{"siteKey":"a","goals":"buy"}"#, "goals: must be an array, not a string"),
            (
                r#"{"siteKey":"a","timeZone":"Europe/Amster dam"}"#,
                "timeZone: must be an IANA time zone name such as \"Europe/Amsterdam\"",
            ),
            (r#"{"siteKey":"a"} x"#, "config: invalid JSON (unexpected text after the value at byte 16)"),
            ("[]", "config: must be an object, not an array"),
            (r#"{"siteKey":"a","siteKey":"b"}"#, "siteKey: appears more than once"),
            (r#"{"siteKey":"a","\u0073iteKey":"b"}"#, "siteKey: appears more than once"),
            (
                r#"{"siteKey":"a","timeZoneTable":{"until":9,"offsets":[[5,0]],"offsets":[]}}"#,
                "timeZoneTable.offsets: appears more than once",
            ),
            (r#"{"siteKey":"a","dpEpsilon":0}"#, "dpEpsilon: must be a number from 0.1 to 10"),
            (r#"{"siteKey":"a","dpEpsilon":11}"#, "dpEpsilon: must be a number from 0.1 to 10"),
            (r#"{"siteKey":"a","dpEpsilon":"1"}"#, "dpEpsilon: must be a number, not a string"),
        ];
        for (json, message) in cases {
            assert_eq!(decode(json).unwrap_err(), message, "{json}");
        }
    }

    #[test]
    fn null_opening_hours_means_always_open() {
        assert_eq!(decode(r#"{"siteKey":"a","openingHours":null}"#).unwrap().opening_hours, None);
    }
}
