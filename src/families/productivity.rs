//! Productivity: conversation volume.

use super::ratio;
use crate::counters::counters;
use crate::json::Writer;

counters! {
    /// Counts behind the productivity KPIs (chats started are in engagement).
    Productivity {
        /// `chat_started`, `customer_message` and `agent_message` events inside chats.
        messages,
        /// Chats closed: ended, timed out, or replaced by a new chat.
        chats_closed,
    }
}

impl Productivity {
    /// Writes the members of the KPI object's `productivity`.
    ///
    /// `openConversations` is chats started − chats closed, and never below 0
    /// (a period can close chats that an earlier period started).
    pub fn write_kpis(&self, chats_started: i64, w: &mut Writer) {
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
