//! The `#[wasm_bindgen]` layer: the JS API of docs/kpis.md section 4.
//!
//! Values cross the boundary as JSON text: JS objects go through
//! `JSON.stringify` into the core's decoders, and results come back through
//! `JSON.parse`. This keeps serde and float formatting out of the module, and
//! gives JS exactly the errors the native decoders give.

mod runtime;
mod types;
mod zone;

#[cfg(feature = "kpi-api")]
use crate::Report;
use crate::{Engine, Error, ReportId};
use alloc::string::String;
#[cfg(feature = "kpi-api")]
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use zone::IntlZone;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn fill_random(bytes: &mut [u8]);

    /// `JSON.stringify`, declared here rather than taken from js-sys, which
    /// the widget's build leaves out (only the KPI API needs it).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    fn json_stringify(value: &JsValue) -> Result<JsValue, JsValue>;

    /// `JSON.parse` (see `json_stringify`).
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;
}

#[cfg(feature = "kpi-api")]
#[wasm_bindgen(module = "/src/wasm/batch.js")]
extern "C" {
    /// Packs well-formed events (`undefined` when one needs the JSON path).
    #[wasm_bindgen(js_name = packEvents, catch)]
    fn pack_events(events: &JsValue) -> Result<JsValue, JsValue>;
}

/// Random bits from `crypto.getRandomValues`, fetched 256 bytes at a time.
struct CryptoRandom {
    buffer: [u8; 256],
    used: usize,
}

impl Default for CryptoRandom {
    fn default() -> Self {
        CryptoRandom { buffer: [0; 256], used: 256 }
    }
}

impl crate::dp::RandomSource for CryptoRandom {
    fn next_u64(&mut self) -> u64 {
        if self.used + 8 > self.buffer.len() {
            fill_random(&mut self.buffer);
            self.used = 0;
        }
        let bytes = self.buffer.get(self.used..self.used + 8).and_then(|b| b.try_into().ok());
        self.used += 8;
        u64::from_le_bytes(bytes.unwrap_or_default())
    }
}

/// Customer-service KPIs for one site, computed from page and chat events.
#[wasm_bindgen]
pub struct KpiEngine {
    engine: Engine<IntlZone>,
}

#[wasm_bindgen]
impl KpiEngine {
    /// Creates an engine. Throws an `Error` naming the key when `config` is
    /// invalid (unknown keys, wrong types, unknown time zone).
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "KpiConfig")] config: JsValue) -> Result<KpiEngine, JsError> {
        let config = json_of(&config, "config")?;
        Engine::from_config_json(config.as_bytes()).map(|engine| KpiEngine { engine }).map_err(js_error)
    }

    /// Tracks one event. Throws an `Error` naming the field when the event is
    /// invalid; the engine is then unchanged.
    pub fn track(&mut self, #[wasm_bindgen(unchecked_param_type = "KpiEvent")] event: JsValue) -> Result<(), JsError> {
        let event = json_of(&event, "event")?;
        self.engine.track_json(event.as_bytes()).map_err(js_error)
    }

    /// The aggregate report of everything tracked since the last report, with
    /// a fresh random id. Its `period` is absent when nothing was tracked.
    /// With `dpEpsilon` configured its counts are clipped and noised
    /// (differential privacy; see docs/kpis.md) and it carries `noise`.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&mut self) -> JsValue {
        let mut id = [0u8; 16];
        fill_random(&mut id);
        parse(&self.engine.take_outgoing_report(ReportId(id), &mut CryptoRandom::default()).encode())
    }

    /// The visitor left (the page closed) at `ts`: the open chat, if any,
    /// closes without a `chat_ended` and counts as abandoned when no agent
    /// replied. The widget calls it when the visitor leaves the site or the
    /// session times out.
    #[wasm_bindgen(js_name = closeChat)]
    pub fn close_chat(&mut self, ts: f64) {
        self.engine.close_chat(ts as i64);
    }

    /// True if `ts` (ms since the epoch) is inside the configured opening
    /// hours in the configured time zone; always true without opening hours.
    /// The widget uses it to derive availability from the schedule when no
    /// chat vendor reports it.
    #[wasm_bindgen(js_name = inOpeningHours)]
    pub fn in_opening_hours(&mut self, ts: f64) -> bool {
        self.engine.in_opening_hours(ts as i64)
    }

    /// The engine's state as a string, to carry sessions across page loads
    /// with `KpiEngine.restore`. It holds device memory and unreported counts:
    /// keep it on the device.
    #[wasm_bindgen(js_name = saveState)]
    pub fn save_state(&self) -> String {
        self.engine.save_state()
    }

    /// An engine for `config` continuing from `state` (from `saveState`).
    /// Throws an `Error` naming the field when either is invalid or they do
    /// not belong together.
    pub fn restore(
        #[wasm_bindgen(unchecked_param_type = "KpiConfig")] config: JsValue,
        state: &str,
    ) -> Result<KpiEngine, JsError> {
        let config = crate::Config::decode(json_of(&config, "config")?.as_bytes()).map_err(js_error)?;
        Engine::restore(config, state.as_bytes()).map(|engine| KpiEngine { engine }).map_err(js_error)
    }
}

#[cfg(feature = "kpi-api")]
#[wasm_bindgen]
impl KpiEngine {
    /// Tracks an array of events: the valid ones count, the invalid ones are
    /// listed with their index and error. Throws only if `events` is not an array.
    #[wasm_bindgen(js_name = trackBatch, unchecked_return_type = "BatchResult")]
    pub fn track_batch(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "KpiEvent[]")] events: JsValue,
    ) -> Result<JsValue, JsError> {
        if let Some(accepted) = self.track_packed(&events) {
            return Ok(parse(&crate::BatchOutcome { accepted, rejected: alloc::vec::Vec::new() }.to_json()));
        }
        let events = json_of(&events, "events")?;
        let outcome = self.engine.track_batch_json(events.as_bytes()).map_err(js_error)?;
        Ok(parse(&outcome.to_json()))
    }

    /// The fast path: a batch the JS packer could pack and whose every event
    /// is valid is applied without JSON; otherwise nothing is applied.
    fn track_packed(&mut self, events: &JsValue) -> Option<usize> {
        let packed = pack_events(events).ok()?.dyn_into::<js_sys::Float64Array>().ok()?.to_vec();
        let decoded: Option<alloc::vec::Vec<crate::Event>> = packed
            .chunks_exact(4)
            .map(|event| match *event {
                [code, ts, a, b] => crate::Event::from_packed(code, ts, a, b),
                _ => None,
            })
            .collect();
        let decoded = decoded?;
        for event in &decoded {
            self.engine.track(event);
        }
        Some(decoded.len())
    }

    /// The KPI object for everything tracked so far.
    #[wasm_bindgen(unchecked_return_type = "Kpis")]
    pub fn kpis(&self) -> JsValue {
        parse(&self.engine.kpis_json())
    }
}

/// Merges two reports of the same site into one (which has no id of its
/// own). Commutative, associative within ±(2^53−1); throws an `Error`
/// naming the field for invalid reports or different sites.
#[cfg(feature = "kpi-api")]
#[wasm_bindgen(js_name = mergeReports, unchecked_return_type = "Report")]
pub fn merge_reports(
    #[wasm_bindgen(unchecked_param_type = "Report")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Report")] b: JsValue,
) -> Result<JsValue, JsError> {
    let mut merged = decode_report(&a)?;
    merged.merge(&decode_report(&b)?).map_err(js_error)?;
    Ok(parse(&merged.encode()))
}

/// The KPI object of a (merged) report; throws an `Error` naming the field
/// for an invalid report.
#[cfg(feature = "kpi-api")]
#[wasm_bindgen(js_name = kpisFromReport, unchecked_return_type = "Kpis")]
pub fn kpis_from_report(#[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue) -> Result<JsValue, JsError> {
    Ok(parse(&crate::kpis_json(&decode_report(&report)?)))
}

#[cfg(feature = "kpi-api")]
fn decode_report(report: &JsValue) -> Result<Report, JsError> {
    Report::decode(json_of(report, "report")?.as_bytes()).map_err(js_error)
}

/// `JSON.stringify(value)`, or an error naming `what` when that fails.
fn json_of(value: &JsValue, what: &str) -> Result<String, JsError> {
    let text = json_stringify(value).ok().and_then(|text| text.as_string());
    text.ok_or_else(|| {
        let mut message = String::from(what);
        message.push_str(": must be a JSON-serialisable value (no BigInt, cycles or undefined)");
        JsError::new(&message)
    })
}

/// `JSON.parse` of text the core wrote, which is always valid JSON.
fn parse(json: &str) -> JsValue {
    json_parse(json).unwrap_or(JsValue::NULL)
}

fn js_error(error: Error) -> JsError {
    JsError::new(&error.message())
}
