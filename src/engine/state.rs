//! Saving and restoring an engine across page loads.
//!
//! The state holds the device memory (availability, when the last chat
//! started), the open session and chat, and the counts not yet reported, as
//! a positional tape (see [`crate::tape`]): small in `localStorage`, and
//! restored without the report's JSON decoder, which the widget's Wasm then
//! does not carry. It stays on the device: only reports are ever sent.

use super::tracker::{Chat, Device, Session, Tracker};
use crate::config::Config;
use crate::error::Error;
use crate::json::Path;
use crate::members::layout::LAYOUT;
use crate::report::Report;
use crate::tape::{Tape, TapeReader, TapeWriter, optional};
use crate::time::{EARLIEST_TS, LATEST_TS};

/// Version of the saved-state format: written by hand, raised when the
/// device, session or chat items below change.
const FORMAT: i64 = 5;

/// The version a state starts with: [`FORMAT`] and the report layout's
/// fingerprint, so that a state saved before a counter was added, removed
/// or moved is refused instead of read into the wrong counters.
const STATE_VERSION: i64 = (FORMAT << 32) | LAYOUT as i64;

/// Everything a saved state holds.
pub struct Saved {
    /// Device memory.
    pub device: Device,
    /// The open session.
    pub session: Option<Session>,
    /// Counts not yet reported.
    pub pending: Report,
    /// Counts already reported (for the KPIs of everything tracked).
    pub reported: Report,
}

impl Saved {
    fn visit(&mut self, tape: &mut dyn Tape) {
        let mut version = STATE_VERSION;
        tape.int(&mut version, STATE_VERSION, STATE_VERSION);
        tape.flag(&mut self.device.online);
        optional(tape, &mut self.device.last_chat, timestamp);
        optional(tape, &mut self.session, visit_session);
        self.pending.visit(tape);
        self.reported.visit(tape);
    }
}

fn timestamp(tape: &mut dyn Tape, ts: &mut i64) {
    tape.int(ts, EARLIEST_TS, LATEST_TS - 1);
}

fn visit_session(tape: &mut dyn Tape, session: &mut Session) {
    timestamp(tape, &mut session.last_ts);
    for flag in [
        &mut session.support,
        &mut session.chatted,
        &mut session.support_contact,
        &mut session.converted_after_chat,
        &mut session.converted_without_chat,
    ] {
        tape.flag(flag);
    }
    optional(tape, &mut session.last_ended_resolved, |tape, resolved| tape.flag(resolved));
    optional(tape, &mut session.chat, visit_chat);
}

fn visit_chat(tape: &mut dyn Tape, chat: &mut Chat) {
    timestamp(tape, &mut chat.started);
    tape.flag(&mut chat.answered);
    optional(tape, &mut chat.waiting_since, timestamp);
    tape.int(&mut chat.complaints, 0, 1_000_000);
    tape.flag(&mut chat.online);
}

/// The state of `tracker` plus the already reported counts.
pub fn encode(tracker: &Tracker, reported: &Report) -> alloc::string::String {
    let mut saved = Saved {
        device: tracker.device.clone(),
        session: tracker.session.clone(),
        pending: tracker.pending.clone(),
        reported: reported.clone(),
    };
    let mut tape = TapeWriter::new();
    saved.visit(&mut tape);
    tape.finish()
}

/// Decodes a saved state and checks that it belongs to `config`'s site and threshold.
pub fn decode(json: &[u8], config: &Config) -> Result<Saved, Error> {
    let empty = || Report::empty("", 0);
    let mut saved = Saved { device: Device::default(), session: None, pending: empty(), reported: empty() };
    let mut tape = TapeReader::new(json, "state");
    saved.visit(&mut tape);
    tape.finish()?;
    let root = Path::root("state");
    saved.pending.check_period(&root.key("pending"))?;
    saved.reported.check_period(&root.key("reported"))?;
    for report in [&saved.pending, &saved.reported] {
        if report.site() != config.site_key {
            return Err(Error::mismatch(&root, "was saved for another siteKey"));
        }
        if report.service_level_seconds() != config.service_level_seconds {
            return Err(Error::mismatch(&root, "was saved with another serviceLevelSeconds"));
        }
    }
    Ok(saved)
}
