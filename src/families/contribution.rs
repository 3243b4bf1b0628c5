//! Contribution: conversions that follow a chat, and the uplift chat brings.

use super::{Base, Fact, Family, Part, ReadMode, Rules, milli_ratio, ratio, raw_counts, section};
use crate::counters::{bump, caps_sum, counters};
use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::named::NamedCounts;
use crate::noise::Noiser;
use crate::tape::Tape;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 3] = [1, 1, 1];

counters! {
    /// Per-session counters behind the conversion rates (docs/kpis.md section 5).
    ContributionCounts {
        /// Sessions with a chat started (C).
        sessions_with_chat,
        /// Sessions in which a conversion followed a chat started in that session (A).
        sessions_converted_after_chat,
        /// Sessions with a conversion before any chat in them (B).
        sessions_converted_without_chat,
    }
}

/// Position of each count in a goal's entry.
pub mod goal {
    /// All conversions of the goal.
    pub const COUNT: usize = 0;
    /// Their value, in thousandths.
    pub const VALUE: usize = 1;
    /// Conversions within the attribution window after a chat on the device.
    pub const AFTER_CHAT_COUNT: usize = 2;
    /// Their value, in thousandths.
    pub const AFTER_CHAT_VALUE: usize = 3;
}

/// Aggregates behind the contribution KPIs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contribution {
    /// Session counters.
    pub counts: ContributionCounts,
    /// Per goal: count, value, after-chat count, after-chat value (see [`goal`]).
    pub goals: NamedCounts<4>,
}

/// The attribution rules: a session counts once as converted after a chat
/// in it (A) or without one (B); a goal's conversion is "after chat" when a
/// chat came first in the session or on the device within the window.
impl Family for Contribution {
    const SENSITIVITY: i64 = caps_sum(&CAPS);

    fn apply(&mut self, fact: &Fact, _: &Rules) {
        let counts = &mut self.counts;
        match *fact {
            Fact::ChatStarted { first_in_session: true, .. } => bump(&mut counts.sessions_with_chat),
            Fact::Converted { goal: name, value_milli, after_chat, first_after_chat, first_without_chat } => {
                if first_after_chat {
                    bump(&mut counts.sessions_converted_after_chat);
                }
                if first_without_chat {
                    bump(&mut counts.sessions_converted_without_chat);
                }
                let mut entry = [0; 4];
                entry[goal::COUNT] = 1;
                entry[goal::VALUE] = value_milli;
                if after_chat {
                    entry[goal::AFTER_CHAT_COUNT] = 1;
                    entry[goal::AFTER_CHAT_VALUE] = value_milli;
                }
                if let Some(name) = name {
                    self.goals.add(name, &entry);
                }
            }
            _ => {}
        }
    }

    fn merge(&mut self, other: &Contribution) {
        self.counts.merge(&other.counts);
        self.goals.merge(&other.goals);
    }

    fn visit(&mut self, tape: &mut dyn Tape) {
        self.counts.visit(tape);
        self.goals.visit(tape);
    }

    fn write_members(&self, part: Part, w: &mut Writer) {
        match part {
            Part::Counters => self.counts.write_member(w, "contribution"),
            Part::Details if !self.goals.is_empty() => {
                w.key("goals");
                self.goals.write(w);
            }
            _ => {}
        }
    }

    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        each("contribution", &self.counts.values());
    }

    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, mode: ReadMode) -> Result<bool, Error> {
        let at = path.key(key);
        match key {
            "contribution" => self.counts = ContributionCounts::read(r, &at, mode.signed)?,
            "goals" => self.goals = NamedCounts::read(r, &at, mode.limited)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn privatize(&mut self, noise: &mut Noiser) {
        self.goals = NamedCounts::default();
        noise.counters(&mut self.counts.counts_mut(), &CAPS);
    }

    fn write_kpis(&self, base: &Base, w: &mut Writer) {
        section(w, "contribution", |w| {
            self.write_ratios(base.sessions, base.chats_started, w);
            raw_counts(w, ContributionCounts::NAMES, &self.counts.values(), &[]);
        });
    }
}

impl Contribution {
    /// Writes the members of the KPI object's `contribution`.
    ///
    /// `conversionRateWithChat` = A / C and `conversionRateWithoutChat` =
    /// B / (S − C), with S the sessions; `valuePerChat` is the after-chat
    /// conversion value over chats started.
    fn write_ratios(&self, sessions: i64, chats_started: i64, w: &mut Writer) {
        self.write_conversions(w, "conversionsAfterChat", goal::AFTER_CHAT_COUNT, goal::AFTER_CHAT_VALUE);
        self.write_conversions(w, "conversions", goal::COUNT, goal::VALUE);
        let c = &self.counts;
        ratio(w, "conversionRateWithChat", c.sessions_converted_after_chat, c.sessions_with_chat);
        // S − C is never negative over a device's reports together, but one
        // report (or one hour of a rollup) can hold the chat of a session that
        // began in an earlier one: such a window has no chatless sessions.
        let sessions_without_chat = (sessions - c.sessions_with_chat).max(0);
        ratio(w, "conversionRateWithoutChat", c.sessions_converted_without_chat, sessions_without_chat);
        milli_ratio(w, "valuePerChat", self.goals.total()[goal::AFTER_CHAT_VALUE], chats_started);
    }

    fn write_conversions(&self, w: &mut Writer, key: &str, count: usize, value: usize) {
        let pick = |counts: &[i64; 4], at: usize| counts.get(at).copied().unwrap_or(0);
        let write_pair = |w: &mut Writer, counts: &[i64; 4]| {
            w.begin_object();
            w.key("count");
            w.int(pick(counts, count));
            w.key("value");
            w.fixed(pick(counts, value), 3);
        };
        w.key(key);
        write_pair(w, &self.goals.total());
        w.key("byGoal");
        w.begin_object();
        for (name, counts) in
            self.goals.iter().filter(|(_, counts)| pick(counts, count) != 0 || pick(counts, value) != 0)
        {
            w.key(name);
            write_pair(w, counts);
            w.end_object();
        }
        w.end_object();
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};
    use crate::{ReportId, kpis_json};
    use alloc::string::String;

    fn sessions() -> [String; 6] {
        [
            // S1: a chat, then a purchase of 100.
            event("chat_started", at(0.0), ""),
            event("conversion", at(5.0), r#""goal":"purchase","value":100"#),
            // S2, two hours later: a signup before any chat in the session,
            // but within the 7-day window after S1's chat.
            event("conversion", at(120.0), r#""goal":"signup""#),
            // S3, eight days later: a purchase of 49.99, outside the window.
            event("conversion", at(8.0 * 24.0 * 60.0), r#""goal":"purchase","value":49.99"#),
            event("conversion", at(8.0 * 24.0 * 60.0 + 1.0), r#""goal":"purchase","value":0.01"#),
            // S4: just a page view.
            event("page_view", at(9.0 * 24.0 * 60.0), r#""support":false"#),
        ]
    }

    #[test]
    fn session_conversion_rates_and_after_chat_window_by_hand() {
        let mut e = engine(r#""goals":["purchase","signup"]"#);
        feed(&mut e, &sessions());
        let k = kpis(&e);
        let c = &k["contribution"];
        assert_eq!(ratio(&k, "contribution", "conversionRateWithChat"), [1, 1]);
        assert_eq!(ratio(&k, "contribution", "conversionRateWithoutChat"), [2, 3]);
        assert_eq!(c["conversionsAfterChat"]["count"], 2);
        assert_eq!(c["conversionsAfterChat"]["value"], 100);
        assert_eq!(c["conversionsAfterChat"]["byGoal"]["purchase"]["count"], 1);
        assert_eq!(c["conversionsAfterChat"]["byGoal"]["signup"]["count"], 1);
        assert_eq!(c["conversions"]["count"], 4);
        assert_eq!(c["conversions"]["value"], 150, "49.99 + 0.01 + 100 in exact thousandths");
        assert_eq!(c["valuePerChat"]["num"], 100);
        assert_eq!(c["valuePerChat"]["den"], 1);
        assert_eq!(c["valuePerChat"]["value"], 100);
    }

    #[test]
    fn attribution_days_zero_means_same_session_only() {
        let mut e = engine(r#""goals":["purchase","signup"],"attributionDays":0"#);
        feed(&mut e, &sessions());
        let c = &kpis(&e)["contribution"];
        assert_eq!(c["conversionsAfterChat"]["count"], 1);
        assert!(c["conversionsAfterChat"]["byGoal"]["signup"].is_null());
    }

    #[test]
    fn each_session_counts_once_per_condition() {
        let mut e = engine(r#""goals":["purchase"]"#);
        feed(
            &mut e,
            &[
                event("conversion", at(0.0), r#""goal":"purchase""#),
                event("conversion", at(1.0), r#""goal":"purchase""#),
                event("chat_started", at(2.0), ""),
                event("conversion", at(3.0), r#""goal":"purchase""#),
                event("conversion", at(4.0), r#""goal":"purchase""#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "contribution", "conversionRateWithChat"), [1, 1]);
        // B counts the session too (a conversion came before its chat); S − C = 0.
        assert_eq!(ratio(&k, "contribution", "conversionRateWithoutChat"), [1, 0]);
        assert!(k["contribution"]["conversionRateWithoutChat"]["value"].is_null());
    }

    #[test]
    fn a_report_holding_the_chat_of_an_earlier_reports_session_has_no_chatless_sessions() {
        // Found by fuzzing: S − C was −1 in the second report.
        let mut e = engine("");
        feed(&mut e, &[event("page_view", at(0.0), r#""support":false"#)]);
        e.take_report(ReportId([1; 16]));
        feed(&mut e, &[event("chat_started", at(1.0), "")]);
        let second = e.take_report(ReportId([2; 16]));
        let k: serde_json::Value = serde_json::from_str(&kpis_json(&second)).unwrap();
        assert_eq!(ratio(&k, "contribution", "conversionRateWithChat"), [0, 1]);
        assert_eq!(ratio(&k, "contribution", "conversionRateWithoutChat"), [0, 0]);
    }
}
