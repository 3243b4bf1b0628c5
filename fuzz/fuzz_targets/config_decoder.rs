//! Bytes as an engine configuration (`Config::decode`); a valid one must
//! give an engine or a `timeZone` error (unknown zone), never a panic, and
//! that engine must work.

#![no_main]

use libfuzzer_sys::fuzz_target;
use support_kpi::time::{DAY_MS, EARLIEST_TS, HOUR_MS, LATEST_TS};
use support_kpi::{Config, NativeEngine, ReportId};
use support_kpi_fuzz::{check_kpis, check_report};

/// 2026-11-23T00:00:00Z, a Monday.
const MONDAY: i64 = 1_795_392_000_000;

fuzz_target!(|data: &[u8]| {
    let config = match Config::decode(data) {
        Ok(config) => config,
        Err(error) => {
            support_kpi_fuzz::check_error(&error);
            assert!(NativeEngine::from_config_json(data).is_err());
            return;
        }
    };
    let valid_slug = |s: &str| {
        (1..=64).contains(&s.len()) && s.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-'))
    };
    assert!(valid_slug(&config.site_key), "siteKey {:?}", config.site_key);
    assert!(config.goals.len() <= 32 && config.goals.iter().all(|g| valid_slug(g)));
    assert!(config.tags.len() <= 32 && config.tags.iter().all(|t| valid_slug(t)));
    assert!((1..=86_400).contains(&config.service_level_seconds));
    assert!((1..=1_440).contains(&config.session_timeout_minutes));
    assert!(config.attribution_days <= 365);

    let mut engine = match NativeEngine::new(config.clone()) {
        Ok(engine) => engine,
        Err(error) => {
            assert_eq!(
                error.field(),
                "timeZone",
                "only an unknown time zone may refuse a valid config: {}",
                error.message()
            );
            return;
        }
    };
    assert_eq!(NativeEngine::from_config_json(data).map(|e| e.config().clone()), Ok(config.clone()));

    // Opening hours at the edges of the accepted range and around a week.
    for ts in [EARLIEST_TS, LATEST_TS - 1, MONDAY, MONDAY + 9 * HOUR_MS, MONDAY + 6 * DAY_MS + 23 * HOUR_MS] {
        engine.in_opening_hours(ts);
    }
    let always_open = config.opening_hours.is_none();
    if always_open {
        assert!(engine.in_opening_hours(MONDAY + 3 * HOUR_MS));
    }

    // A short visit with a chat, a conversion and a tag when the config allows them.
    let mut events = vec![
        format!(r#"{{"type":"availability","ts":{MONDAY},"online":true}}"#),
        format!(r#"{{"type":"page_view","ts":{},"support":true}}"#, MONDAY + 1_000),
        format!(r#"{{"type":"chat_started","ts":{}}}"#, MONDAY + 2_000),
        format!(r#"{{"type":"agent_message","ts":{}}}"#, MONDAY + 62_000),
        format!(r#"{{"type":"chat_ended","ts":{},"resolved":true}}"#, MONDAY + 90_000),
    ];
    if let Some(goal) = config.goals.first() {
        events.push(format!(r#"{{"type":"conversion","ts":{},"goal":"{goal}","value":9.99}}"#, MONDAY + 100_000));
    }
    if let Some(tag) = config.tags.last() {
        events.push(format!(r#"{{"type":"tag","ts":{},"name":"{tag}"}}"#, MONDAY + 110_000));
    }
    let batch = format!("[{}]", events.join(","));
    let outcome = engine.track_batch_json(batch.as_bytes()).expect("the batch is an array");
    assert!(outcome.rejected.is_empty(), "events valid for this config were refused: {}", outcome.to_json());
    let kpis = check_kpis(&engine.kpis_json(), true);
    assert_eq!(kpis["engagement"]["supportPageShare"]["num"], 1);
    let saved = engine.save_state();
    let restored = NativeEngine::restore(config, saved.as_bytes()).expect("own state restores");
    assert_eq!(restored.save_state(), saved);
    check_report(&engine.take_report(ReportId([9; 16])), true);
});
