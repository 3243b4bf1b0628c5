//! Bytes as one event (`Event::decode`) and as a batch (`read_batch`) for a
//! fixed configuration with goals, tags and opening hours; what decodes is
//! fed to engines, whose KPIs, reports and saved state must stay consistent.

#![no_main]

use libfuzzer_sys::fuzz_target;
use support_kpi::time::{EARLIEST_TS, LATEST_TS};
use support_kpi::{Event, NativeEngine, ReportId, kpis_from_report, read_batch};
use support_kpi_fuzz::{check_kpis, check_report, config, engine};

fuzz_target!(|data: &[u8]| {
    let config = config();
    let fresh = engine().save_state();

    // One event: the decoder and `track_json` agree, and a refusal changes nothing.
    let single = Event::decode(data, &config);
    let mut e = engine();
    match &single {
        Ok(event) => {
            assert!((EARLIEST_TS..LATEST_TS).contains(&event.ts), "ts out of range: {event:?}");
            e.track_json(data).expect("track_json refused an event that decodes");
            let mut by_struct = engine();
            by_struct.track(event);
            assert_eq!(e.save_state(), by_struct.save_state());
            check_kpis(&e.kpis_json(), true);
        }
        Err(error) => {
            support_kpi_fuzz::check_error(error);
            assert!(e.track_json(data).is_err());
            assert_eq!(e.save_state(), fresh, "a refused event changed the engine");
        }
    }

    // A batch: `read_batch` and `track_batch_json` agree on what they accept and refuse.
    let (mut accepted, mut rejected) = (Vec::new(), Vec::new());
    let batch = read_batch(data, &config, |event| accepted.push(event), |index, error| rejected.push((index, error)));
    let mut whole = engine();
    let outcome = whole.track_batch_json(data);
    match (&batch, &outcome) {
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            assert!(accepted.is_empty() && rejected.is_empty(), "a failed batch called back");
            assert_eq!(whole.save_state(), fresh, "a refused batch changed the engine");
            return;
        }
        (Ok(()), Ok(outcome)) => {
            assert_eq!(outcome.accepted, accepted.len());
            assert_eq!(outcome.rejected, rejected);
            assert!(rejected.windows(2).all(|w| w[0].0 < w[1].0), "rejected indexes not increasing");
            serde_json::from_str::<serde_json::Value>(&outcome.to_json()).expect("batch outcome JSON parses");
        }
        _ => panic!("read_batch and track_batch_json disagree: {batch:?} vs {outcome:?}"),
    }

    // The engine fed the batch: well-formed, non-negative KPIs, and the same as
    // the decoded events tracked one by one.
    let kpis = whole.kpis_json();
    let parsed = check_kpis(&kpis, true);
    let open = parsed["productivity"]["openConversations"].as_i64();
    assert!(matches!(open, Some(0 | 1)), "one engine has at most one open chat: {kpis}");
    let mut one_by_one = engine();
    accepted.iter().for_each(|event| one_by_one.track(event));
    assert_eq!(one_by_one.kpis_json(), kpis);

    // Saved state round-trips.
    let saved = whole.save_state();
    let restored = NativeEngine::restore(config.clone(), saved.as_bytes())
        .unwrap_or_else(|e| panic!("own saved state refused ({}): {saved}", e.message()));
    assert_eq!(restored.save_state(), saved);
    assert_eq!(restored.kpis_json(), kpis);

    // Two pages: a report and a save/restore half-way give the same totals,
    // and the two reports merge into the engine's KPIs.
    let half = accepted.len() / 2;
    let mut page = engine();
    accepted[..half].iter().for_each(|event| page.track(event));
    let first = page.take_report(ReportId([1; 16]));
    let mut page = NativeEngine::restore(config.clone(), page.save_state().as_bytes()).expect("mid-way state restores");
    accepted[half..].iter().for_each(|event| page.track(event));
    let second = page.take_report(ReportId([2; 16]));
    assert_eq!(page.kpis_json(), kpis, "report + save/restore half-way changed the totals");
    for report in [&first, &second] {
        check_report(report, true);
        let text = report.encode();
        assert_eq!(kpis_from_report(text.as_bytes()).expect("own report decodes"), support_kpi::kpis_json(report));
    }
    let mut merged = first.clone();
    merged.merge(&second).expect("reports of one engine merge");
    assert_eq!(support_kpi::kpis_json(&merged), kpis, "merged reports differ from the engine's KPIs");

    // The visitor leaves: no chat stays open.
    let last = accepted.iter().map(|event| event.ts).max().unwrap_or(EARLIEST_TS);
    whole.close_chat(last);
    let closed = check_kpis(&whole.kpis_json(), true);
    assert_eq!(closed["productivity"]["openConversations"], 0, "close_chat left a chat open");
});
