//! The session and chat state machine that turns events into facts.
//!
//! The tracker knows sessions and chats; what a fact counts for is each
//! family's rule ([`crate::families::Family::apply`]).
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
use crate::counters::bump;
use crate::event::{Event, EventKind, Outcome};
use crate::families::Fact;
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
        let week_hour = local.week_hour();
        match event.kind {
            EventKind::PageView { support } => {
                let in_hours = config.in_opening_hours(local);
                page_view(report, session, support, in_hours, device.online, week_hour)
            }
            EventKind::ChatButtonImpression => report.apply(&Fact::ButtonShown { week_hour }),
            EventKind::ChatButtonClick => report.apply(&Fact::ButtonClicked),
            EventKind::ChatOpen => report.apply(&Fact::ChatOpened),
            EventKind::ChatStarted => chat_started(device, report, session, ts, week_hour),
            EventKind::CustomerMessage => customer_message(report, session, ts),
            EventKind::AgentMessage => agent_message(report, session, ts),
            EventKind::ChatEnded(outcome) => chat_ended(report, session, ts, outcome),
            EventKind::Survey { scale, score } => report.apply(&Fact::Rated { scale, score }),
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
        self.pending.cover(Period::around(ts));
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
        self.pending.apply(&Fact::SessionStarted);
        self.session = Some(Session::new(ts));
    }
}

fn page_view(
    report: &mut Report,
    session: &mut Session,
    support: bool,
    in_hours: bool,
    online: bool,
    week_hour: usize,
) {
    let first_support = support && !session.support;
    session.support |= support;
    report.apply(&Fact::PageViewed { support, first_support, in_hours, online, week_hour });
    if support {
        count_support_contact(report, session);
    }
}

fn chat_started(device: &mut Device, report: &mut Report, session: &mut Session, ts: i64, week_hour: usize) {
    if let Some(previous) = session.chat.take() {
        close(report, &previous, ts);
    }
    let repeat = device.last_chat.is_some_and(|last| (0..=REPEAT_WINDOW_MS).contains(&(ts - last)));
    let first_in_session = !session.chatted;
    session.chatted = true;
    report.apply(&Fact::ChatStarted { online: device.online, repeat, first_in_session, week_hour });
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
    value_milli: i64,
) {
    let first_after_chat = session.chatted && !session.converted_after_chat;
    let first_without_chat = !session.chatted && !session.converted_without_chat;
    session.converted_after_chat |= first_after_chat;
    session.converted_without_chat |= first_without_chat;
    let window = config.attribution_ms();
    let after_chat = session.chatted || (window > 0 && device.last_chat.is_some_and(|chat| ts - chat <= window));
    let goal = config.goals.get(usize::from(goal_index)).map(|name| &**name);
    report.apply(&Fact::Converted { goal, value_milli, after_chat, first_after_chat, first_without_chat });
}

fn tag_event(config: &Config, report: &mut Report, session: &mut Session, tag_index: u8) {
    let Some(name) = config.tags.get(usize::from(tag_index)) else {
        return;
    };
    let after_resolved = session.chat.is_none() && session.last_ended_resolved == Some(true);
    report.apply(&Fact::Tagged { name, after_resolved });
    if let Some(chat) = &mut session.chat
        && name == COMPLAINT
    {
        bump(&mut chat.complaints);
    }
}

/// A support session with a chat is a contact, once, when it has both.
fn count_support_contact(report: &mut Report, session: &mut Session) {
    if session.support && session.chatted && !session.support_contact {
        session.support_contact = true;
        report.apply(&Fact::SupportContact);
    }
}

fn customer_message(report: &mut Report, session: &mut Session, ts: i64) {
    let Some(chat) = &mut session.chat else {
        return;
    };
    report.apply(&Fact::MessageSent);
    chat.waiting_since.get_or_insert(ts);
}

fn agent_message(report: &mut Report, session: &mut Session, ts: i64) {
    let Some(chat) = &mut session.chat else {
        return;
    };
    report.apply(&Fact::MessageSent);
    if let Some(since) = chat.waiting_since.take() {
        report.apply(&Fact::Replied { waited_ms: ts - since });
    }
    if !chat.answered {
        chat.answered = true;
        report.apply(&Fact::ChatAnswered { after_ms: ts - chat.started, online: chat.online });
    }
}

fn chat_ended(report: &mut Report, session: &mut Session, ts: i64, outcome: Outcome) {
    let Some(chat) = session.chat.take() else {
        return;
    };
    report.apply(&Fact::ChatEnded { outcome, complaints: chat.complaints, after_ms: ts - chat.started });
    session.last_ended_resolved = Some(outcome.resolved == Some(true));
    close(report, &chat, ts);
}

/// A chat closed at `ts`: ended, timed out, replaced or left.
fn close(report: &mut Report, chat: &Chat, ts: i64) {
    report.apply(&Fact::ChatClosed { answered: chat.answered, online: chat.online, after_ms: ts - chat.started });
}
