//! Binding tests shared by `tests/node.rs` and `tests/browser.rs`: the JS API
//! as JS sees it, including every error message at the boundary.

use serde_json::{Value, json};
use support_kpi::wasm::{KpiEngine, kpis_from_report, merge_reports};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "/src/wasm/batch.js")]
extern "C" {
    /// The packer `trackBatch` tries first: four numbers an event in a
    /// `Float64Array`, or `undefined` when the batch must take the JSON path.
    #[wasm_bindgen(js_name = packEvents)]
    fn pack_events(events: &JsValue) -> JsValue;
}

#[wasm_bindgen(inline_js = "export function countJson(events) {
  let calls = 0;
  Object.defineProperty(events, 'toJSON', { value() { calls++; return this; } });
  return () => calls;
}")]
extern "C" {
    /// Gives `events` a `toJSON` that returns it unchanged and counts the
    /// times `JSON.stringify` serialises it, which only the JSON path of
    /// `trackBatch` does; not enumerable, so the packer never sees it.
    /// Returns the counter.
    #[wasm_bindgen(js_name = countJson)]
    fn count_json(events: &JsValue) -> js_sys::Function;
}

/// 2026-11-23T00:00:00Z, a Monday.
const MONDAY: i64 = 1_795_392_000_000;

fn js(value: Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).expect("test JSON parses")
}

fn rust(value: &JsValue) -> Value {
    let text: String = js_sys::JSON::stringify(value).expect("stringify").into();
    serde_json::from_str(&text).expect("JSON")
}

/// The message of a thrown value, which must be a JS `Error`.
fn message(error: impl Into<JsValue>) -> String {
    let value: JsValue = error.into();
    let error = value.dyn_ref::<js_sys::Error>().expect("an Error instance, not a string");
    error.message().into()
}

fn config() -> JsValue {
    js(json!({
        "siteKey": "acme-help",
        "timeZone": "Europe/Amsterdam",
        "openingHours": { "mon": [["09:00", "17:30"]] },
        "goals": ["purchase"],
        "tags": ["complaint"],
    }))
}

fn engine() -> KpiEngine {
    KpiEngine::new(config()).expect("valid config")
}

fn at(minutes: i64) -> i64 {
    MONDAY + minutes * 60_000
}

fn session() -> Vec<Value> {
    vec![
        json!({ "type": "availability", "ts": at(8 * 60), "online": true }),
        json!({ "type": "page_view", "ts": at(8 * 60 + 1), "support": true }),
        json!({ "type": "chat_button_impression", "ts": at(8 * 60 + 2) }),
        json!({ "type": "chat_button_click", "ts": at(8 * 60 + 3) }),
        json!({ "type": "chat_started", "ts": at(8 * 60 + 4) }),
        json!({ "type": "agent_message", "ts": at(8 * 60 + 5) }),
        json!({ "type": "chat_ended", "ts": at(8 * 60 + 9), "resolved": true }),
        json!({ "type": "survey", "ts": at(8 * 60 + 10), "kind": "nps", "score": 10 }),
        json!({ "type": "conversion", "ts": at(8 * 60 + 20), "goal": "purchase", "value": 49.99 }),
    ]
}

#[wasm_bindgen_test]
fn tracks_events_into_kpis() {
    let mut e = engine();
    for event in session() {
        e.track(js(event)).expect("valid event");
    }
    let k = rust(&e.kpis());
    assert_eq!(k["engagement"]["chatEngagementRatio"], json!({ "num": 1, "den": 1, "value": 1 }));
    assert_eq!(k["availability"]["coverage"]["num"], 1, "09:01 in Amsterdam is inside opening hours");
    assert_eq!(k["availability"]["presence"]["num"], 1);
    assert_eq!(k["speed"]["firstResponse"]["mean"], 60);
    assert_eq!(k["prevention"]["fcr"]["value"], 1);
    assert_eq!(k["friendliness"]["nps"]["value"], 100);
    assert_eq!(k["contribution"]["conversionsAfterChat"]["value"], 49.99);
    assert_eq!(k["byHour"][9]["pageViews"], 1, "the local hour, one ahead of UTC in November");
    assert_eq!(k["period"], json!({ "from": at(8 * 60), "to": at(9 * 60) }));
}

#[wasm_bindgen_test]
fn intl_offsets_follow_daylight_saving_time() {
    // 2026-03-29T00:30Z is 01:30 CET; 01:30Z is 03:30 CEST.
    let march_29 = 1_774_742_400_000i64;
    let mut e = KpiEngine::new(js(json!({ "siteKey": "a", "timeZone": "Europe/Amsterdam" }))).unwrap();
    for minutes in [30, 90] {
        e.track(js(json!({ "type": "page_view", "ts": march_29 + minutes * 60_000, "support": false }))).unwrap();
    }
    let hours: Vec<Value> = (0..5).map(|h| rust(&e.kpis())["byHour"][h]["pageViews"].clone()).collect();
    assert_eq!(hours, [0, 1, 0, 1, 0]);
    // Kathmandu is UTC+5:45: 18:14Z on Monday is 23:59 local, 18:15Z is Tuesday 00:00.
    let mut k = KpiEngine::new(js(json!({ "siteKey": "a", "timeZone": "Asia/Kathmandu" }))).unwrap();
    k.track(js(json!({ "type": "page_view", "ts": at(18 * 60 + 14), "support": false }))).unwrap();
    k.track(js(json!({ "type": "page_view", "ts": at(18 * 60 + 15), "support": false }))).unwrap();
    let week = &rust(&k.kpis())["byWeekdayHour"]["pageViews"];
    assert_eq!((week[0][23].clone(), week[1][0].clone()), (json!(1), json!(1)));
}

#[wasm_bindgen_test]
fn bad_events_throw_errors_naming_the_field_and_change_nothing() {
    let mut e = engine();
    e.track(js(session()[1].clone())).unwrap();
    let before = e.save_state();
    let nan_ts = js(json!({ "type": "chat_open" }));
    js_sys::Reflect::set(&nan_ts, &"ts".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    let big = js(json!({ "type": "chat_open" }));
    js_sys::Reflect::set(&big, &"ts".into(), &js_sys::BigInt::from(5).into()).unwrap();
    let cases: Vec<(JsValue, &str)> = vec![
        (js(json!({})), "type: is required"),
        (js(json!({ "type": "page_vue", "ts": MONDAY })), "type: \"page_vue\" is not one of the event types"),
        (js(json!({ "type": "page_view", "ts": MONDAY })), "support: is required"),
        (
            js(json!({ "type": "page_view", "ts": MONDAY, "support": "yes" })),
            "support: must be a boolean, not a string",
        ),
        (
            js(json!({ "type": "chat_open", "ts": -1 })),
            "ts: must be milliseconds since 1970 between 2000-01-01 and 2100-01-01",
        ),
        (nan_ts, "ts: must be a number, not null"),
        (big, "event: must be a JSON-serialisable value (no BigInt, cycles or undefined)"),
        (JsValue::UNDEFINED, "event: must be a JSON-serialisable value (no BigInt, cycles or undefined)"),
        (JsValue::from_str("page_view"), "event: must be an object, not a string"),
        (js(json!({ "type": "chat_open", "ts": MONDAY, "user": "bob" })), "user: is not a known field"),
        (
            js(json!({ "type": "survey", "ts": MONDAY, "kind": "csat", "score": 0 })),
            "score: must be an integer from 1 to 5 for csat",
        ),
        (
            js(json!({ "type": "conversion", "ts": MONDAY, "goal": "refund" })),
            "goal: \"refund\" is not one of the configured goals",
        ),
        (
            js(json!({ "type": "conversion", "ts": MONDAY, "goal": "purchase", "value": -3 })),
            "value: must be a number from 0 to 1000000000000",
        ),
        (js(json!({ "type": "tag", "ts": MONDAY, "name": "x".repeat(65) })), "name: must be at most 64 characters"),
    ];
    for (event, expected) in cases {
        assert_eq!(message(e.track(event).unwrap_err()), expected);
        assert_eq!(e.save_state(), before, "state changed after: {expected}");
    }
}

#[wasm_bindgen_test]
fn bad_configs_throw_errors_naming_the_key() {
    let cases = [
        (json!({}), "siteKey: is required"),
        (json!({ "siteKey": "Acme" }), "siteKey: must be 1 to 64 characters from a-z, 0-9, '_' and '-'"),
        (json!({ "siteKey": "a", "timeZone": "Mars/Base" }), "timeZone: \"Mars/Base\" is not a known IANA time zone"),
        (json!({ "siteKey": "a", "goal": ["x"] }), "goal: is not a known field"),
        (
            json!({ "siteKey": "a", "sessionTimeoutMinutes": "30" }),
            "sessionTimeoutMinutes: must be a number, not a string",
        ),
        (
            json!({ "siteKey": "a", "openingHours": { "mon": [["18:00", "02:00"]] } }),
            "openingHours.mon[0]: must end after it starts (split a range that crosses midnight in two)",
        ),
        (json!({ "siteKey": "a", "dpEpsilon": 0 }), "dpEpsilon: must be a number from 0.1 to 10"),
    ];
    for (config, expected) in cases {
        let error = KpiEngine::new(js(config)).err().expect("rejected");
        assert_eq!(message(error), expected);
    }
}

#[wasm_bindgen_test]
fn batches_accept_good_events_and_list_bad_ones() {
    let mut e = engine();
    let mut events = session();
    events.insert(2, json!({ "type": "chat_open" }));
    events.push(json!(42));
    let outcome = rust(&e.track_batch(js(Value::Array(events))).unwrap());
    assert_eq!(
        outcome,
        json!({ "accepted": 9, "rejected": [
            { "index": 2, "error": "ts: is required" },
            { "index": 10, "error": "event: must be an object, not a number" },
        ]})
    );
    let error = e.track_batch(js(json!({ "type": "chat_open" }))).err().unwrap();
    assert_eq!(message(error), "events: must be an array, not an object");
}

#[wasm_bindgen_test]
fn reports_merge_into_the_same_kpis() {
    let mut e = engine();
    let events = session();
    e.track_batch(js(Value::Array(events[..5].to_vec()))).unwrap();
    let first = e.report();
    e.track_batch(js(Value::Array(events[5..].to_vec()))).unwrap();
    let second = e.report();
    let (a, b) = (rust(&first), rust(&second));
    let id = a["id"].as_str().unwrap();
    assert!(id.len() == 32 && id.bytes().all(|c| c.is_ascii_hexdigit()), "{id}");
    assert_ne!(a["id"], b["id"], "every report gets a fresh id");
    let merged = merge_reports(first.clone(), second.clone()).unwrap();
    assert!(rust(&merged).get("id").is_none(), "a merged report has no id");
    assert_eq!(rust(&kpis_from_report(merged.clone()).unwrap()), rust(&e.kpis()));
    let swapped = merge_reports(second, first).unwrap();
    assert_eq!(rust(&swapped), rust(&merged));
}

#[wasm_bindgen_test]
fn private_reports_carry_fresh_noise_from_crypto() {
    let private_config = || {
        let mut config = rust(&config());
        config["dpEpsilon"] = json!(1);
        js(config)
    };
    let reports: Vec<Value> = (0..2)
        .map(|_| {
            let mut e = KpiEngine::new(private_config()).expect("valid config");
            e.track_batch(js(Value::Array(session()))).unwrap();
            rust(&e.report())
        })
        .collect();
    for report in &reports {
        assert_eq!(report["noise"], json!({ "reports": 1, "variance": 14792 }));
        for gone in ["goals", "hours", "firstResponse", "response", "resolution", "handleTime", "tags"] {
            assert!(report.get(gone).is_none(), "{gone} is not sent under differential privacy: {report}");
        }
    }
    assert_ne!(reports[0]["engagement"], reports[1]["engagement"], "each report draws its own noise");
    let merged = merge_reports(js(reports[0].clone()), js(reports[1].clone())).unwrap();
    let kpis = rust(&kpis_from_report(merged).unwrap());
    assert_eq!(kpis["noise"], json!({ "reports": 2, "variance": 29584 }));
    let negative = json!({ "v": 1, "site": "a", "serviceLevelSeconds": 60, "engagement": [-3] });
    let error = kpis_from_report(js(negative)).err().unwrap();
    assert_eq!(
        message(error),
        "engagement[0]: must be an integer from 0 to 2^53-1",
        "only noised counts may be negative"
    );
}

#[wasm_bindgen_test]
fn bad_reports_are_refused_with_the_field() {
    let other_site = js(json!({ "v": 1, "site": "other", "serviceLevelSeconds": 60 }));
    let mine = js(json!({ "v": 1, "site": "acme-help", "serviceLevelSeconds": 60 }));
    let error = merge_reports(mine.clone(), other_site).err().unwrap();
    assert_eq!(message(error), "site: reports of different sites cannot be merged");
    let error = kpis_from_report(js(json!({ "v": 9, "site": "a", "serviceLevelSeconds": 60 }))).err().unwrap();
    assert_eq!(message(error), "v: must be 1, the schema version this build reads");
    let error =
        kpis_from_report(js(json!({ "v": 1, "site": "a", "serviceLevelSeconds": 60, "csat": [1, 2, 3, 4, 5, 6] })))
            .err()
            .unwrap();
    assert_eq!(message(error), "csat[5]: is beyond the last counter of this schema version");
}

#[wasm_bindgen_test]
fn state_carries_sessions_across_page_loads() {
    let events = session();
    let mut whole = engine();
    whole.track_batch(js(Value::Array(events.clone()))).unwrap();
    let mut page = engine();
    for event in events {
        page.track(js(event)).unwrap();
        let saved = page.save_state();
        page = KpiEngine::restore(config(), &saved).unwrap();
    }
    assert_eq!(rust(&page.kpis()), rust(&whole.kpis()));
    let other = js(json!({ "siteKey": "other" }));
    let error = KpiEngine::restore(other, &page.save_state()).err().unwrap();
    assert_eq!(message(error), "state: was saved for another siteKey");
    let error = KpiEngine::restore(config(), "{").err().unwrap();
    assert_eq!(message(error), "state: must be an array, not an object");
    let version = page.save_state().split(',').next().unwrap().to_owned();
    let cut = format!("{version},1,0,0");
    let error = KpiEngine::restore(config(), &cut).err().unwrap();
    assert_eq!(message(error), format!("state: invalid JSON (unexpected end of input at byte {})", cut.len()));
}

/// Tracks `events` as one batch: its outcome, and how often the JSON path
/// serialised it (0: the packed path took it).
fn track_batch_counting_json(e: &mut KpiEngine, events: JsValue) -> (Value, f64) {
    let calls = count_json(&events);
    let outcome = rust(&e.track_batch(events).unwrap());
    (outcome, calls.call0(&JsValue::NULL).unwrap().as_f64().unwrap())
}

#[wasm_bindgen_test]
fn fast_batches_count_exactly_like_single_events() {
    // Every packable shape, including the optional outcome flags, each survey
    // scale and a fractional timestamp; then shapes the packer leaves to the
    // JSON path (an extra undefined member, a conversion).
    let fast = json!([
        { "type": "availability", "ts": at(600), "online": true },
        { "type": "page_view", "ts": at(601) as f64 + 0.5, "support": true },
        { "type": "chat_button_impression", "ts": at(602) },
        { "type": "chat_button_click", "ts": at(603) },
        { "type": "chat_open", "ts": at(604) },
        { "type": "chat_started", "ts": at(605) },
        { "type": "agent_message", "ts": at(606) },
        { "type": "customer_message", "ts": at(607) },
        { "type": "agent_message", "ts": at(608) },
        { "type": "chat_ended", "ts": at(609), "resolved": true, "escalated": true },
        { "type": "chat_started", "ts": at(610) },
        { "type": "chat_ended", "ts": at(611) },
        { "type": "survey", "ts": at(612), "kind": "csat", "score": 4 },
        { "type": "survey", "ts": at(613), "kind": "nps", "score": 0 },
        { "type": "survey", "ts": at(614), "kind": "ces", "score": 7 },
    ]);
    let packed = pack_events(&js(fast.clone())).dyn_into::<js_sys::Float64Array>();
    assert_eq!(packed.expect("the packer takes every event").length(), 15 * 4);
    let mut batched = engine();
    let mut single = engine();
    let (outcome, via_json) = track_batch_counting_json(&mut batched, js(fast.clone()));
    assert_eq!(outcome, json!({ "accepted": 15, "rejected": [] }));
    assert_eq!(via_json, 0.0, "the packed path took the batch, not JSON.stringify");
    for event in fast.as_array().unwrap() {
        single.track(js(event.clone())).unwrap();
    }
    assert_eq!(rust(&batched.kpis()), rust(&single.kpis()));

    let mixed = js(json!([
        { "type": "chat_open", "ts": at(700) },
        { "type": "conversion", "ts": at(701), "goal": "purchase", "value": 10 },
    ]));
    let extra = js(json!({ "type": "chat_open", "ts": at(702) }));
    js_sys::Reflect::set(&extra, &"note".into(), &JsValue::UNDEFINED).unwrap(); // JSON drops it
    let array = js_sys::Array::of1(&extra);
    for (batch, accepted, why) in [(mixed, 2, "a conversion"), (array.into(), 1, "an extra member")] {
        assert!(pack_events(&batch).is_undefined(), "the packer refuses {why}");
        let (outcome, via_json) = track_batch_counting_json(&mut batched, batch);
        assert_eq!((outcome["accepted"].clone(), via_json), (json!(accepted), 1.0), "{why} goes the JSON path");
    }
    let bad = js(
        json!([{ "type": "survey", "ts": at(703), "kind": "csat", "score": 9 }, { "type": "chat_open", "ts": at(704) }]),
    );
    assert!(pack_events(&bad).is_instance_of::<js_sys::Float64Array>(), "the packer leaves the score to the engine");
    let (outcome, via_json) = track_batch_counting_json(&mut batched, bad);
    assert_eq!(via_json, 1.0, "an invalid packed value sends the batch through the JSON path");
    assert_eq!(outcome["accepted"], 1, "and nothing of it was applied twice");
    assert_eq!(outcome["rejected"][0]["error"], "score: must be an integer from 1 to 5 for csat");
}
