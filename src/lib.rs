//! support-kpi: customer-service KPIs computed on the visitor's device.
//!
//! The engine turns page and chat events (docs/kpis.md section 1) into the KPIs of
//! section 2 and into aggregate [`Report`]s that merge exactly across
//! browsers. The core is plain `no_std` Rust with no WebAssembly imports; the
//! `wasm` module is the thin `#[wasm_bindgen]` layer, compiled only for
//! `wasm32`. Natively, [`NativeEngine`] resolves time zones from the IANA
//! database, and [`merge_reports`] and [`kpis_from_report`] serve the
//! collector.

#![no_std]
#![warn(missing_docs)]

extern crate alloc;
// Everything but the shipped WebAssembly bundle links std (test harnesses,
// native builds); the bundle brings its own allocator and panic handler.
#[cfg(not(all(target_arch = "wasm32", feature = "bundle")))]
extern crate std;

mod config;
mod counters;
mod digits;
pub mod dp;
mod engine;
mod error;
mod event;
pub mod families;
mod hours;
pub mod json;
mod kpis;
pub mod members;
mod named;
mod noise;
mod path;
#[cfg(not(target_arch = "wasm32"))]
pub mod render;
mod report;
pub mod schema;
pub mod sketch;
mod tape;
pub mod time;

#[cfg(test)]
mod testing;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use config::{Config, SERVICE_LEVEL_SECONDS_BOUND, SERVICE_LEVEL_SECONDS_RANGE};
pub use counters::MAX_COUNT;
pub use engine::{BatchOutcome, Chat, Device, Engine, Session};
pub use error::{Error, ErrorKind};
pub use event::{Event, EventKind, MAX_VALUE_MILLI, Outcome, Scale, read_batch};
pub use hours::OpeningHours;
pub use kpis::{kpis_json, write_kpis};
pub use named::{MAX_NAMES, NamedCounts};
#[cfg(any(test, feature = "testing"))]
pub use report::{Families, FamiliesMut};
pub use report::{Period, Report, ReportId, SCHEMA_VERSION};

/// The engine with time zones from the IANA database compiled into native builds.
#[cfg(not(target_arch = "wasm32"))]
pub type NativeEngine = Engine<chrono_tz::Tz>;

/// Merges two reports given as JSON into one (no id of its own), as JSON.
///
/// The same function as `mergeReports` in JS.
pub fn merge_reports(a: &[u8], b: &[u8]) -> Result<alloc::string::String, Error> {
    let mut merged = Report::decode(a)?;
    merged.merge(&Report::decode(b)?)?;
    Ok(merged.encode())
}

/// The KPI object of a report given as JSON, as JSON.
///
/// The same function as `kpisFromReport` in JS.
pub fn kpis_from_report(report: &[u8]) -> Result<alloc::string::String, Error> {
    Ok(kpis_json(&Report::decode(report)?))
}
