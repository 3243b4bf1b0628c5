//! Saving and restoring an engine across page loads.
//!
//! The state holds the device memory (availability, when the last chat
//! started), the open session and chat, and the counts not yet reported. It
//! stays on the device: only reports are ever sent.

use super::tracker::{Chat, Device, Session, Tracker};
use crate::config::Config;
use crate::error::Error;
use crate::json::{Path, Reader, Writer, unknown_key};
use crate::report::Report;
use crate::time::{EARLIEST_TS, LATEST_TS};

/// Version of the saved-state format.
const STATE_VERSION: i64 = 1;

const TS_RANGE: &str = "must be milliseconds since 1970 between 2000-01-01 and 2100-01-01";

/// Writes the state of `tracker` plus the already reported totals.
pub fn encode(tracker: &Tracker, reported: &Report) -> alloc::string::String {
    let mut w = Writer::new();
    w.begin_object();
    w.key("v");
    w.int(STATE_VERSION);
    w.key("online");
    w.bool(tracker.device.online);
    if let Some(ts) = tracker.device.last_chat {
        w.key("lastChat");
        w.int(ts);
    }
    if let Some(session) = &tracker.session {
        w.key("session");
        write_session(&mut w, session);
    }
    w.key("pending");
    tracker.pending.write(&mut w);
    w.key("reported");
    reported.write(&mut w);
    w.end_object();
    w.into_string()
}

fn write_session(w: &mut Writer, session: &Session) {
    w.begin_object();
    w.key("last");
    w.int(session.last_ts);
    for (key, flag) in session_flags(session) {
        if flag {
            w.key(key);
            w.bool(true);
        }
    }
    if let Some(resolved) = session.last_ended_resolved {
        w.key("lastEndedResolved");
        w.bool(resolved);
    }
    if let Some(chat) = &session.chat {
        w.key("chat");
        w.begin_object();
        w.key("started");
        w.int(chat.started);
        w.key("answered");
        w.bool(chat.answered);
        if let Some(since) = chat.waiting_since {
            w.key("waitingSince");
            w.int(since);
        }
        w.key("complaints");
        w.int(chat.complaints);
        w.end_object();
    }
    w.end_object();
}

/// Keys of the session's flags, in the order of [`session_flags`].
const SESSION_FLAGS: [&str; 5] = ["support", "chatted", "supportContact", "convertedAfterChat", "convertedWithoutChat"];

fn session_flags(s: &Session) -> impl Iterator<Item = (&'static str, bool)> {
    let values = [s.support, s.chatted, s.support_contact, s.converted_after_chat, s.converted_without_chat];
    SESSION_FLAGS.into_iter().zip(values)
}

/// Decodes a saved state for `config`: device, session, pending and reported counts.
pub fn decode(json: &[u8], config: &Config) -> Result<(Device, Option<Session>, Report, Report), Error> {
    let root = Path::root("state");
    let mut r = Reader::new(json);
    let mut device = Device::default();
    let (mut version, mut session, mut pending, mut reported) = (None, None, None, None);
    r.members(&root, |r, key| {
        let name = key.decode().unwrap_or_default();
        let at = root.key(&name);
        match &*name {
            "v" => {
                version = Some(r.integer(
                    &at,
                    STATE_VERSION,
                    STATE_VERSION,
                    "must be 1, the state version this build reads",
                )?)
            }
            "online" => device.online = r.boolean(&at)?,
            "lastChat" => device.last_chat = Some(read_ts(r, &at)?),
            "session" => session = Some(read_session(r, &at)?),
            "pending" => pending = Some(read_report(r, &at, config)?),
            "reported" => reported = Some(read_report(r, &at, config)?),
            _ => return Err(unknown_key(&root, key)),
        }
        Ok(())
    })?;
    r.finish(&root)?;
    version.ok_or_else(|| Error::missing(&root.key("v")))?;
    let pending = pending.ok_or_else(|| Error::missing(&root.key("pending")))?;
    let reported = reported.ok_or_else(|| Error::missing(&root.key("reported")))?;
    Ok((device, session, pending, reported))
}

fn read_report(r: &mut Reader, path: &Path, config: &Config) -> Result<Report, Error> {
    let report = Report::read(r, path)?;
    if report.site != config.site_key {
        return Err(Error::mismatch(&path.key("site"), "was saved for another siteKey"));
    }
    if report.service_level_seconds != config.service_level_seconds {
        return Err(Error::mismatch(&path.key("serviceLevelSeconds"), "was saved with another serviceLevelSeconds"));
    }
    Ok(report)
}

fn read_ts(r: &mut Reader, path: &Path) -> Result<i64, Error> {
    r.integer(path, EARLIEST_TS, LATEST_TS - 1, TS_RANGE)
}

fn read_session(r: &mut Reader, path: &Path) -> Result<Session, Error> {
    let mut last = None;
    let mut flags = [false; 5];
    let (mut last_ended_resolved, mut chat) = (None, None);
    r.members(path, |r, key| {
        let name = key.decode().unwrap_or_default();
        let at = path.key(&name);
        let flag = SESSION_FLAGS.iter().position(|f| *f == name);
        match (&*name, flag) {
            (_, Some(index)) => flags[index] = r.boolean(&at)?,
            ("last", _) => last = Some(read_ts(r, &at)?),
            ("lastEndedResolved", _) => last_ended_resolved = Some(r.boolean(&at)?),
            ("chat", _) => chat = Some(read_chat(r, &at)?),
            _ => return Err(unknown_key(path, key)),
        }
        Ok(())
    })?;
    let [support, chatted, support_contact, converted_after_chat, converted_without_chat] = flags;
    Ok(Session {
        last_ts: last.ok_or_else(|| Error::missing(&path.key("last")))?,
        support,
        chatted,
        support_contact,
        converted_after_chat,
        converted_without_chat,
        last_ended_resolved,
        chat,
    })
}

fn read_chat(r: &mut Reader, path: &Path) -> Result<Chat, Error> {
    let (mut started, mut answered, mut waiting_since, mut complaints) = (None, false, None, 0);
    r.members(path, |r, key| {
        let name = key.decode().unwrap_or_default();
        let at = path.key(&name);
        match &*name {
            "started" => started = Some(read_ts(r, &at)?),
            "answered" => answered = r.boolean(&at)?,
            "waitingSince" => waiting_since = Some(read_ts(r, &at)?),
            "complaints" => complaints = r.integer(&at, 0, 1_000_000, "must be an integer from 0 to 1000000")?,
            _ => return Err(unknown_key(path, key)),
        }
        Ok(())
    })?;
    let started = started.ok_or_else(|| Error::missing(&path.key("started")))?;
    Ok(Chat { started, answered, waiting_since, complaints })
}
