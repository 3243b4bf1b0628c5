//! Bytes as a saved engine state (`NativeEngine::restore`) for the fixed
//! configuration: never a panic; a state that restores saves and restores
//! again to the same state, KPIs and behaviour.

#![no_main]

use libfuzzer_sys::fuzz_target;
use support_kpi::{NativeEngine, Report, ReportId};
use support_kpi_fuzz::{check_kpis, check_report, config};

/// A few events after the restore, so that the session and chat of the state are used.
const NEXT_PAGE: &str = r#"[{"type":"customer_message","ts":1795392060000},{"type":"agent_message","ts":1795392090000},
 {"type":"tag","ts":1795392100000,"name":"complaint"},{"type":"chat_ended","ts":1795392120000,"resolved":true},
 {"type":"conversion","ts":1795392130000,"goal":"purchase","value":5},{"type":"page_view","ts":1795399999000,"support":true}]"#;

fuzz_target!(|data: &[u8]| {
    let config = config();
    let mut engine = match NativeEngine::restore(config.clone(), data) {
        Ok(engine) => engine,
        Err(error) => {
            support_kpi_fuzz::check_error(&error);
            return;
        }
    };
    let saved = engine.save_state();
    let mut again = NativeEngine::restore(config.clone(), saved.as_bytes())
        .unwrap_or_else(|e| panic!("own saved state refused ({}): {saved}", e.message()));
    assert_eq!(again.save_state(), saved, "save_state does not round-trip");
    let kpis = engine.kpis_json();
    assert_eq!(again.kpis_json(), kpis);
    // A restored state holds counts from elsewhere, so only the shape is checked.
    check_kpis(&kpis, false);

    // The report of what the state holds, as restored, and after the next page.
    check_state_report(engine.clone().take_report(ReportId([3; 16])));

    // Both continue the same way.
    let outcome = engine.track_batch_json(NEXT_PAGE.as_bytes()).expect("the next page is an array");
    assert!(outcome.rejected.is_empty(), "{}", outcome.to_json());
    again.track_batch_json(NEXT_PAGE.as_bytes()).expect("the next page is an array");
    assert_eq!(engine.save_state(), again.save_state(), "restored engines diverge");
    check_kpis(&engine.kpis_json(), false);

    // The report of everything pending round-trips; the totals stay.
    let before = engine.kpis_json();
    check_state_report(engine.take_report(ReportId([4; 16])));
    assert_eq!(engine.kpis_json(), before, "take_report changed the totals");
    engine.close_chat(1_795_400_000_000);
    check_kpis(&engine.kpis_json(), false);
});

/// The report of a restored engine must decode like any report.
fn check_state_report(report: Report) {
    check_report(&report, false);
}
