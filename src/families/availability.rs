//! Availability: whether chat was there when visitors were.

use super::{Base, Fact, Rules, counters_family, ratio, raw_counts, section};
use crate::counters::{bump, counters};
use crate::json::Writer;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 4] = [8, 8, 8, 1];

counters! {
    /// Counts behind the availability KPIs (all page views are in engagement).
    Availability {
        /// Page views inside opening hours.
        in_hours_page_views,
        /// Page views while chat was online.
        online_page_views,
        /// Page views inside opening hours while chat was online.
        online_in_hours_page_views,
        /// Chats started while chat was offline: messages left for later.
        offline_chats_started,
    }
}

counters_family!(Availability, "availability", {
    fn apply(&mut self, fact: &Fact, _: &Rules) {
        match *fact {
            Fact::PageViewed { in_hours, online, .. } => {
                if in_hours {
                    bump(&mut self.in_hours_page_views);
                }
                if online {
                    bump(&mut self.online_page_views);
                }
                if online && in_hours {
                    bump(&mut self.online_in_hours_page_views);
                }
            }
            Fact::ChatStarted { online: false, .. } => bump(&mut self.offline_chats_started),
            _ => {}
        }
    }

    fn base(&self, base: &mut Base) {
        base.offline_chats_started = self.offline_chats_started;
    }

    fn write_kpis(&self, base: &Base, w: &mut Writer) {
        section(w, "availability", |w| {
            self.write_ratios(base.page_views, base.chats_started, w);
            raw_counts(w, Availability::NAMES, &self.values(), &[]);
        });
    }
});

impl Availability {
    /// Writes the members of the KPI object's `availability`.
    ///
    /// `presenceInHours` is online page views inside opening hours over page
    /// views inside opening hours: how often chat was there when it should be.
    ///
    /// `offlineMessages` is chats started while chat was offline over chats started.
    fn write_ratios(&self, page_views: i64, chats_started: i64, w: &mut Writer) {
        ratio(w, "coverage", self.in_hours_page_views, page_views);
        ratio(w, "presence", self.online_page_views, page_views);
        ratio(w, "presenceInHours", self.online_in_hours_page_views, self.in_hours_page_views);
        ratio(w, "offlineMessages", self.offline_chats_started, chats_started);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    const AMSTERDAM_OFFICE: &str = r#""timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]]}"#;

    #[test]
    fn coverage_and_presence_in_local_opening_hours() {
        let mut e = engine(AMSTERDAM_OFFICE);
        feed(
            &mut e,
            &[
                // 07:59 UTC is 08:59 in Amsterdam: before opening, offline.
                event("page_view", at(7.0 * 60.0 + 59.0), r#""support":false"#),
                // 08:00 UTC = 09:00 local: inside, still offline.
                event("page_view", at(8.0 * 60.0), r#""support":false"#),
                event("availability", at(8.0 * 60.0 + 1.0), r#""online":true"#),
                // Inside and online.
                event("page_view", at(12.0 * 60.0), r#""support":false"#),
                // 16:30 UTC = 17:30 local: the range's end is excluded; online.
                event("page_view", at(16.0 * 60.0 + 30.0), r#""support":false"#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "availability", "coverage"), [2, 4]);
        assert_eq!(ratio(&k, "availability", "presence"), [2, 4]);
        assert_eq!(ratio(&k, "availability", "presenceInHours"), [1, 2]);
    }

    #[test]
    fn availability_holds_across_sessions_and_starts_offline() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("page_view", at(0.0), r#""support":false"#),
                event("availability", at(1.0), r#""online":true"#),
                event("page_view", at(500.0), r#""support":false"#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "availability", "presence"), [1, 2]);
        assert_eq!(ratio(&k, "availability", "coverage"), [2, 2], "no opening hours: always inside");
        assert_eq!(e.totals().engagement.sessions, 2, "availability events do not start sessions");
    }

    #[test]
    fn hour_buckets_follow_daylight_saving_time() {
        let mut e = engine(r#""timeZone":"Europe/Amsterdam""#);
        // 2026-03-29T00:30Z is 01:30 CET; 01:30Z is 03:30 CEST (02:xx never happens).
        let march_29 = 1_774_742_400_000;
        feed(
            &mut e,
            &[
                event("page_view", march_29 + 30 * 60_000, r#""support":false"#),
                event("page_view", march_29 + 90 * 60_000, r#""support":false"#),
            ],
        );
        let k = kpis(&e);
        let views: alloc::vec::Vec<i64> = (0..5).map(|h| k["byHour"][h]["pageViews"].as_i64().unwrap()).collect();
        assert_eq!(views, [0, 1, 0, 1, 0]);
        // Sunday is row 6 of the week matrix.
        assert_eq!(k["byWeekdayHour"]["pageViews"][6][1], 1);
        assert_eq!(k["byWeekdayHour"]["pageViews"][6][3], 1);
    }
}
