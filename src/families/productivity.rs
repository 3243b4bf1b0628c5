//! Productivity: conversation volume.

use super::{Base, Fact, Rules, counters_family, ratio, raw_counts, section};
use crate::counters::{bump, counters};
use crate::json::Writer;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 2] = [10, 1];

counters! {
    /// Counts behind the productivity KPIs (chats started are in engagement).
    Productivity {
        /// `chat_started`, `customer_message` and `agent_message` events inside chats.
        messages,
        /// Chats closed: ended, timed out, or replaced by a new chat.
        chats_closed,
    }
}

counters_family!(Productivity, "productivity", {
    fn apply(&mut self, fact: &Fact, _: &Rules) {
        match fact {
            Fact::ChatStarted { .. } | Fact::MessageSent => bump(&mut self.messages),
            Fact::ChatClosed { .. } => bump(&mut self.chats_closed),
            _ => {}
        }
    }

    fn write_kpis(&self, base: &Base, w: &mut Writer) {
        section(w, "productivity", |w| {
            self.write_ratios(base.chats_started, w);
            raw_counts(w, Productivity::NAMES, &self.values(), &[]);
        });
    }
});

impl Productivity {
    /// Writes the members of the KPI object's `productivity`.
    ///
    /// `openConversations` is chats started − chats closed, and never below 0
    /// (a period can close chats that an earlier period started).
    fn write_ratios(&self, chats_started: i64, w: &mut Writer) {
        w.key("chatsStarted");
        w.int(chats_started);
        ratio(w, "messagesPerChat", self.messages, chats_started);
        w.key("openConversations");
        w.int((chats_started - self.chats_closed).max(0));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    #[test]
    fn messages_per_chat_and_open_conversations() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("customer_message", at(0.0), ""), // outside a chat: not counted
                event("chat_started", at(1.0), ""),
                event("agent_message", at(2.0), ""),
                event("customer_message", at(3.0), ""),
                event("chat_ended", at(4.0), r#""resolved":true"#),
                event("agent_message", at(5.0), ""), // after the end: not counted
                event("chat_started", at(6.0), ""),
                event("customer_message", at(7.0), ""),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "productivity", "messagesPerChat"), [5, 2]);
        assert_eq!(k["productivity"]["chatsStarted"], 2);
        assert_eq!(k["productivity"]["openConversations"], 1);
    }
}
