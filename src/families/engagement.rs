//! Engagement: how often visitors see support, the launcher, and start chats.

use super::{Base, Fact, Rules, counters_family, ratio, raw_counts, section};
use crate::counters::{bump, counters};
use crate::json::Writer;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 9] = [8, 8, 1, 1, 1, 8, 1, 1, 1];

counters! {
    /// Counts behind the engagement KPIs.
    Engagement {
        /// All page views.
        page_views,
        /// Page views of support pages.
        support_page_views,
        /// Sessions started (see the engine for how sessions are inferred).
        sessions,
        /// Sessions with at least one support page view.
        support_sessions,
        /// Support sessions in which a chat started.
        support_contact_sessions,
        /// Viewable chat launcher impressions (MRC rule).
        impressions,
        /// Chat launcher clicks.
        clicks,
        /// Chat windows opened.
        chat_opens,
        /// Chats started.
        chats_started,
    }
}

counters_family!(Engagement, "engagement", {
    fn apply(&mut self, fact: &Fact, _: &Rules) {
        match *fact {
            Fact::SessionStarted => bump(&mut self.sessions),
            Fact::PageViewed { support, first_support, .. } => {
                bump(&mut self.page_views);
                if support {
                    bump(&mut self.support_page_views);
                }
                if first_support {
                    bump(&mut self.support_sessions);
                }
            }
            Fact::SupportContact => bump(&mut self.support_contact_sessions),
            Fact::ButtonShown { .. } => bump(&mut self.impressions),
            Fact::ButtonClicked => bump(&mut self.clicks),
            Fact::ChatOpened => bump(&mut self.chat_opens),
            Fact::ChatStarted { .. } => bump(&mut self.chats_started),
            _ => {}
        }
    }

    fn base(&self, base: &mut Base) {
        base.page_views = self.page_views;
        base.sessions = self.sessions;
        base.chats_started = self.chats_started;
    }

    fn write_kpis(&self, _: &Base, w: &mut Writer) {
        section(w, "engagement", |w| {
            self.write_ratios(w);
            raw_counts(w, Engagement::NAMES, &self.values(), &[]);
        });
    }
});

impl Engagement {
    /// Writes the members of the KPI object's `engagement`.
    fn write_ratios(&self, w: &mut Writer) {
        ratio(w, "supportPageShare", self.support_page_views, self.page_views);
        ratio(w, "supportContactRate", self.support_contact_sessions, self.support_sessions);
        ratio(w, "chatEngagementRatio", self.chats_started, self.impressions);
        ratio(w, "launcherClickThrough", self.clicks, self.impressions);
        ratio(w, "openToStart", self.chats_started, self.chat_opens);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    #[test]
    fn engagement_ratios_by_hand() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                // Session 1: a support page, the launcher seen and clicked, a chat.
                event("page_view", at(0.0), r#""support":true"#),
                event("chat_button_impression", at(1.0), ""),
                event("chat_button_click", at(2.0), ""),
                event("chat_open", at(2.5), ""),
                event("chat_started", at(3.0), ""),
                event("page_view", at(10.0), r#""support":false"#),
                // Session 2 (gap > 30 min): launcher seen, no chat.
                event("page_view", at(60.0), r#""support":false"#),
                event("chat_button_impression", at(61.0), ""),
                // Session 3: a support page without a chat.
                event("page_view", at(120.0), r#""support":true"#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "engagement", "supportPageShare"), [2, 4]);
        assert_eq!(ratio(&k, "engagement", "supportContactRate"), [1, 2]);
        assert_eq!(ratio(&k, "engagement", "chatEngagementRatio"), [1, 2]);
        assert_eq!(ratio(&k, "engagement", "launcherClickThrough"), [1, 2]);
        assert_eq!(ratio(&k, "engagement", "openToStart"), [1, 1]);
        assert_eq!(k["engagement"]["supportPageShare"]["value"], 0.5);
    }

    #[test]
    fn a_support_page_after_the_chat_still_makes_a_contact_session() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("page_view", at(0.0), r#""support":false"#),
                event("chat_started", at(1.0), ""),
                event("page_view", at(2.0), r#""support":true"#),
                event("page_view", at(3.0), r#""support":true"#),
            ],
        );
        assert_eq!(ratio(&kpis(&e), "engagement", "supportContactRate"), [1, 1]);
    }

    #[test]
    fn a_gap_of_exactly_the_timeout_keeps_the_session() {
        let mut e = engine(r#""sessionTimeoutMinutes":30"#);
        feed(
            &mut e,
            &[
                event("page_view", at(0.0), r#""support":true"#),
                event("page_view", at(30.0), r#""support":true"#),
                event("page_view", at(60.001), r#""support":true"#),
            ],
        );
        assert_eq!(e.totals().engagement.sessions, 2);
        assert_eq!(ratio(&kpis(&e), "engagement", "supportContactRate"), [0, 2]);
    }
}
