//! The session and chat state machine that turns events into counts.
//!
//! Rules (docs/kpis.md section 5): every event but `availability` starts or
//! extends a session, and a gap longer than the session timeout starts a new
//! one. A session is counted when it starts. A timeout or a new
//! `chat_started` closes a chat left open: abandoned if no agent replied, but
//! not a "chat ended"; so does the visitor leaving (the page closing, see
//! [`Tracker::close_chat`]). A chat's handle time runs to its close: the
//! `chat_ended`, the next `chat_started`, the page closing, or, on a timeout,
//! the session's last event. A chat started while chat was offline is an
//! offline message; the device's previous chat start makes a repeat contact. Events are applied in arrival order; one that is older
//! than the session's last event still counts, and durations that would be
//! negative count as zero.

use crate::config::Config;
use crate::counters::{add, bump};
use crate::event::{Event, EventKind, Outcome};
use crate::families::contribution::goal;
use crate::families::prevention::{COMPLAINT, REPEAT_WINDOW_MS};
use crate::report::{Period, Report};
use crate::time::LocalTime;

/// What the device remembers across sessions; it never leaves the device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Device {
    /// Last known availability (offline until told otherwise).
    pub online: bool,
    /// When the latest chat on this device started, for the attribution window.
    pub last_chat: Option<i64>,
}

/// The current session.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Session {
    /// Latest event time seen in the session.
    pub last_ts: i64,
    /// A support page was viewed (counted in support sessions).
    pub support: bool,
    /// A chat started (counted in sessions with chat).
    pub chatted: bool,
    /// Counted in support sessions with a chat.
    pub support_contact: bool,
    /// Counted in sessions converted after a chat (A).
    pub converted_after_chat: bool,
    /// Counted in sessions converted without a chat (B).
    pub converted_without_chat: bool,
    /// Whether the session's last ended chat ended resolved, if one ended.
    pub last_ended_resolved: Option<bool>,
    /// The open chat, if any.
    pub chat: Option<Chat>,
}

impl Session {
    fn new(ts: i64) -> Session {
        Session { last_ts: ts, ..Session::default() }
    }
}

/// An open chat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chat {
    /// When `chat_started` arrived.
    pub started: i64,
    /// An agent has replied.
    pub answered: bool,
    /// Since when the customer has been waiting for a reply.
    pub waiting_since: Option<i64>,
    /// Complaint tags given during the chat.
    pub complaints: i64,
    /// Chat was online when the chat started.
    pub online: bool,
}

/// Everything needed to apply events: configuration, device and session
/// state, and the counts since the last report.
#[derive(Clone, Debug)]
pub struct Tracker {
    /// The configuration events are checked against.
    pub config: Config,
    /// Device memory.
    pub device: Device,
    /// The current session, if any event has been seen.
    pub session: Option<Session>,
    /// Counts since the last report.
    pub pending: Report,
}

impl Tracker {
    /// A tracker with nothing seen yet.
    pub fn new(config: Config) -> Tracker {
        let pending = Report::empty(&config.site_key, config.service_level_seconds);
        Tracker { config, device: Device::default(), session: None, pending }
    }

    /// Applies one valid event that happened at local time `local`.
    pub fn apply(&mut self, event: &Event, local: LocalTime) {
        let ts = event.ts;
        if let EventKind::Availability { online } = event.kind {
            self.device.online = online;
            return;
        }
        self.cover(ts);
        self.continue_session(ts);
        let Tracker { config, device, session, pending: report } = self;
        let Some(session) = session.as_mut() else { return };
        match event.kind {
            EventKind::PageView { support } => page_view(config, device, report, session, support, local),
            EventKind::ChatButtonImpression => {
                bump(&mut report.engagement.impressions);
                bump(&mut report.hours.at(local.week_hour()).impressions);
            }
            EventKind::ChatButtonClick => bump(&mut report.engagement.clicks),
            EventKind::ChatOpen => bump(&mut report.engagement.chat_opens),
            EventKind::ChatStarted => chat_started(device, report, session, ts, local),
            EventKind::CustomerMessage => customer_message(report, session, ts),
            EventKind::AgentMessage => agent_message(report, session, ts, config.service_level_seconds),
            EventKind::ChatEnded(outcome) => chat_ended(report, session, ts, outcome),
            EventKind::Survey { scale, score } => report.friendliness.record(scale, score),
            EventKind::Conversion { goal, value_milli } => {
                conversion(config, device, report, session, ts, goal, value_milli)
            }
            EventKind::Tag { tag } => tag_event(config, report, session, tag),
            EventKind::Availability { .. } => {}
        }
    }

    /// Closes the open chat without a `chat_ended` because the visitor left
    /// (the page closed) at `ts`: it counts as closed, and as abandoned when
    /// no agent replied. Nothing happens when no chat is open.
    pub fn close_chat(&mut self, ts: i64) {
        let Some(chat) = self.session.as_mut().and_then(|session| session.chat.take()) else {
            return;
        };
        self.cover(ts);
        close(&mut self.pending, &chat, ts);
    }

    /// Extends the pending report's period to the hour of `ts`.
    fn cover(&mut self, ts: i64) {
        let period = Period::around(ts);
        self.pending.period = Some(self.pending.period.map_or(period, |p| p.union(period)));
    }

    /// Extends the session `ts` belongs to, or starts a new one after a timeout.
    fn continue_session(&mut self, ts: i64) {
        let timeout = self.config.session_timeout_ms();
        if let Some(session) = &mut self.session
            && ts - session.last_ts <= timeout
        {
            session.last_ts = session.last_ts.max(ts);
            return;
        }
        if let Some(Session { chat: Some(chat), last_ts, .. }) = self.session.take() {
            close(&mut self.pending, &chat, last_ts);
        }
        bump(&mut self.pending.engagement.sessions);
        self.session = Some(Session::new(ts));
    }
}

fn page_view(
    config: &Config,
    device: &Device,
    report: &mut Report,
    session: &mut Session,
    support: bool,
    local: LocalTime,
) {
    let in_hours = config.in_opening_hours(local);
    let online = device.online;
    bump(&mut report.engagement.page_views);
    if support {
        bump(&mut report.engagement.support_page_views);
        if !session.support {
            session.support = true;
            bump(&mut report.engagement.support_sessions);
        }
        count_support_contact(report, session);
    }
    let availability = &mut report.availability;
    let hour = report.hours.at(local.week_hour());
    bump(&mut hour.page_views);
    if in_hours {
        bump(&mut availability.in_hours_page_views);
        bump(&mut hour.in_hours_page_views);
    }
    if online {
        bump(&mut availability.online_page_views);
        bump(&mut hour.online_page_views);
    }
    if online && in_hours {
        bump(&mut availability.online_in_hours_page_views);
    }
}

fn chat_started(device: &mut Device, report: &mut Report, session: &mut Session, ts: i64, local: LocalTime) {
    if let Some(previous) = session.chat.take() {
        close(report, &previous, ts);
    }
    bump(&mut report.engagement.chats_started);
    if !device.online {
        bump(&mut report.availability.offline_chats_started);
    }
    if device.last_chat.is_some_and(|last| (0..=REPEAT_WINDOW_MS).contains(&(ts - last))) {
        bump(&mut report.prevention.counts.repeat_contacts);
    }
    bump(&mut report.productivity.messages);
    bump(&mut report.hours.at(local.week_hour()).chats_started);
    if !session.chatted {
        session.chatted = true;
        bump(&mut report.contribution.counts.sessions_with_chat);
    }
    count_support_contact(report, session);
    session.chat =
        Some(Chat { started: ts, answered: false, waiting_since: Some(ts), complaints: 0, online: device.online });
    device.last_chat = Some(device.last_chat.map_or(ts, |last| last.max(ts)));
}

fn conversion(
    config: &Config,
    device: &Device,
    report: &mut Report,
    session: &mut Session,
    ts: i64,
    goal_index: u8,
    value: i64,
) {
    let counts = &mut report.contribution.counts;
    if session.chatted && !session.converted_after_chat {
        session.converted_after_chat = true;
        bump(&mut counts.sessions_converted_after_chat);
    }
    if !session.chatted && !session.converted_without_chat {
        session.converted_without_chat = true;
        bump(&mut counts.sessions_converted_without_chat);
    }
    let window = config.attribution_ms();
    let after_chat = session.chatted || (window > 0 && device.last_chat.is_some_and(|chat| ts - chat <= window));
    let mut entry = [0; 4];
    entry[goal::COUNT] = 1;
    entry[goal::VALUE] = value;
    if after_chat {
        entry[goal::AFTER_CHAT_COUNT] = 1;
        entry[goal::AFTER_CHAT_VALUE] = value;
    }
    if let Some(name) = config.goals.get(usize::from(goal_index)) {
        report.contribution.goals.add(name, &entry);
    }
}

fn tag_event(config: &Config, report: &mut Report, session: &mut Session, tag_index: u8) {
    let Some(name) = config.tags.get(usize::from(tag_index)) else {
        return;
    };
    let prevention = &mut report.prevention;
    prevention.tags.add(name, &[1]);
    if name != COMPLAINT {
        return;
    }
    match &mut session.chat {
        Some(chat) => bump(&mut chat.complaints),
        None if session.last_ended_resolved == Some(true) => bump(&mut prevention.counts.complaints_resolved),
        None => {}
    }
}

/// Counts a support session with a chat, once, when it has both.
fn count_support_contact(report: &mut Report, session: &mut Session) {
    if session.support && session.chatted && !session.support_contact {
        session.support_contact = true;
        bump(&mut report.engagement.support_contact_sessions);
    }
}

fn customer_message(report: &mut Report, session: &mut Session, ts: i64) {
    let Some(chat) = &mut session.chat else {
        return;
    };
    bump(&mut report.productivity.messages);
    chat.waiting_since.get_or_insert(ts);
}

fn agent_message(report: &mut Report, session: &mut Session, ts: i64, service_level_seconds: u32) {
    let Some(chat) = &mut session.chat else {
        return;
    };
    bump(&mut report.productivity.messages);
    let speed = &mut report.speed;
    if let Some(since) = chat.waiting_since.take() {
        speed.response.record(ts - since);
    }
    if !chat.answered {
        chat.answered = true;
        let first_response = ts - chat.started;
        speed.first_response.record(first_response);
        let met = first_response <= i64::from(service_level_seconds) * 1000;
        if met {
            bump(&mut speed.counts.service_level_met);
        }
        if chat.online {
            speed.first_response_online.record(first_response);
            if met {
                bump(&mut speed.counts.service_level_met_online);
            }
        }
    }
}

fn chat_ended(report: &mut Report, session: &mut Session, ts: i64, outcome: Outcome) {
    let Some(chat) = session.chat.take() else {
        return;
    };
    let resolved = outcome.resolved == Some(true);
    let counts = &mut report.prevention.counts;
    bump(&mut counts.chats_ended);
    if outcome.resolved.is_some() {
        bump(&mut counts.outcome_known);
    }
    if resolved && !outcome.transferred && !outcome.escalated {
        bump(&mut counts.resolved_first_contact);
    }
    if outcome.escalated {
        bump(&mut counts.escalated);
    }
    if outcome.transferred {
        bump(&mut counts.transferred);
    }
    if resolved {
        counts.complaints_resolved = add(counts.complaints_resolved, chat.complaints);
        report.speed.resolution.record(ts - chat.started);
    }
    session.last_ended_resolved = Some(resolved);
    close(report, &chat, ts);
}

/// Counts a chat as closed at `ts` (ended, timed out, replaced or left) with
/// its handle time, and abandoned if no agent replied.
fn close(report: &mut Report, chat: &Chat, ts: i64) {
    bump(&mut report.productivity.chats_closed);
    report.speed.handle.record(ts - chat.started);
    if !chat.answered {
        let counts = &mut report.prevention.counts;
        bump(&mut counts.abandoned);
        if chat.online {
            bump(&mut counts.abandoned_online);
        }
    }
}
