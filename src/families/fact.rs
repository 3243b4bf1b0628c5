//! Facts: what the session and chat state machine observed, for the
//! families to count.
//!
//! The tracker ([`crate::Engine`]'s state machine) decides what happened —
//! a session started, a chat was answered after so many ms, a chat closed
//! unanswered — and each family applies the facts it cares about with its
//! own rules (the service-level threshold in speed, abandonment in
//! prevention, …).

use crate::event::{Outcome, Scale};

/// One thing that happened, as the families see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fact<'a> {
    /// A session started.
    SessionStarted,
    /// A page was viewed at hour `week_hour` (0..168) of the local week.
    PageViewed {
        /// It is a support page.
        support: bool,
        /// It is the session's first support page view.
        first_support: bool,
        /// It falls inside opening hours.
        in_hours: bool,
        /// Chat was online.
        online: bool,
        /// Hour of the local week.
        week_hour: usize,
    },
    /// A session has both a support page view and a chat, for the first time.
    SupportContact,
    /// The chat launcher was seen (viewable impression).
    ButtonShown {
        /// Hour of the local week.
        week_hour: usize,
    },
    /// The chat launcher was clicked.
    ButtonClicked,
    /// The chat window was opened.
    ChatOpened,
    /// A chat started (its first message).
    ChatStarted {
        /// Chat was online; an offline chat is a message left for later.
        online: bool,
        /// The device started a chat in the repeat window before.
        repeat: bool,
        /// It is the session's first chat.
        first_in_session: bool,
        /// Hour of the local week.
        week_hour: usize,
    },
    /// A customer or agent message inside a chat.
    MessageSent,
    /// An agent replied to a customer who had waited `waited_ms`.
    Replied {
        /// From the first unanswered customer message (or the start) to the reply.
        waited_ms: i64,
    },
    /// A chat got its first agent reply, `after_ms` after it started.
    ChatAnswered {
        /// First response time.
        after_ms: i64,
        /// The chat started while chat was online.
        online: bool,
    },
    /// A chat ended with `chat_ended`, `after_ms` after it started.
    ChatEnded {
        /// What the chat settled.
        outcome: Outcome,
        /// Complaint tags given during the chat.
        complaints: i64,
        /// From the start to the end.
        after_ms: i64,
    },
    /// A chat closed (ended, timed out, replaced or left), `after_ms` after it started.
    ChatClosed {
        /// An agent had replied.
        answered: bool,
        /// The chat started while chat was online.
        online: bool,
        /// Handle time.
        after_ms: i64,
    },
    /// A survey score, already checked against its scale.
    Rated {
        /// CSAT, NPS or CES.
        scale: Scale,
        /// The score.
        score: u8,
    },
    /// A conversion.
    Converted {
        /// The configured goal's name (`None` for an index beyond the list).
        goal: Option<&'a str>,
        /// Its value, in thousandths.
        value_milli: i64,
        /// A chat came first: in the session, or on the device within the attribution window.
        after_chat: bool,
        /// The session's first conversion after a chat in it.
        first_after_chat: bool,
        /// The session's first conversion before any chat in it.
        first_without_chat: bool,
    },
    /// A configured tag was given.
    Tagged {
        /// The tag's name.
        name: &'a str,
        /// Given outside a chat, after the session's last chat ended resolved.
        after_resolved: bool,
    },
}

/// What a report's counts were made with that a family's rules need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    /// The service-level threshold.
    pub service_level_seconds: u32,
}
