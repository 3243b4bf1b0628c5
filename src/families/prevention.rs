//! Prevention: chats that go wrong, and what the first contact settles.

use super::{Base, Fact, Family, Part, ReadMode, Rules, distribution, ratio, raw_counts, section};
use crate::counters::{add, bump, caps_sum, counters};
use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::named::NamedCounts;
use crate::noise::Noiser;
use crate::sketch::Sketch;
use crate::tape::Tape;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 9] = [1, 1, 1, 1, 1, 1, 1, 1, 1];

/// How far back an earlier chat on the device makes a chat a repeat contact: 7 days.
pub const REPEAT_WINDOW_MS: i64 = 7 * crate::time::DAY_MS;

/// The tag whose count is the complaints KPI.
pub const COMPLAINT: &str = "complaint";

counters! {
    /// Counts behind the prevention KPIs.
    PreventionCounts {
        /// Chats that ended with `chat_ended`.
        chats_ended,
        /// Chats closed (ended, timed out or replaced) with no agent reply.
        abandoned,
        /// Chats ended with the `resolved` field present.
        outcome_known,
        /// Chats ended resolved, not transferred and not escalated.
        resolved_first_contact,
        /// Chats ended escalated.
        escalated,
        /// Chats ended transferred.
        transferred,
        /// Complaint tags whose chat ended resolved.
        complaints_resolved,
        /// Of the abandoned chats, those started while chat was online.
        abandoned_online,
        /// Chats started on a device that started a chat in the [`REPEAT_WINDOW_MS`] before.
        repeat_contacts,
    }
}

/// Aggregates behind the prevention KPIs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prevention {
    /// Chat outcome counts.
    pub counts: PreventionCounts,
    /// Count per allowed tag (the `complaint` tag is the complaints KPI).
    pub tags: NamedCounts<1>,
    /// The close − `chat_started` of each abandoned chat: how long visitors
    /// waited before giving up.
    pub abandon_wait: Sketch,
}

/// The abandonment rule: a chat closed (ended, timed out, replaced or
/// left) with no agent reply is abandoned. Outcomes count at `chat_ended`;
/// complaints count as resolved when their chat ended resolved.
impl Family for Prevention {
    const SENSITIVITY: i64 = caps_sum(&CAPS);

    fn apply(&mut self, fact: &Fact, _: &Rules) {
        let counts = &mut self.counts;
        match *fact {
            Fact::ChatStarted { repeat: true, .. } => bump(&mut counts.repeat_contacts),
            Fact::ChatEnded { outcome, complaints, .. } => {
                let resolved = outcome.resolved == Some(true);
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
                    counts.complaints_resolved = add(counts.complaints_resolved, complaints);
                }
            }
            Fact::ChatClosed { answered: false, online, after_ms } => {
                self.abandon_wait.record(after_ms);
                bump(&mut counts.abandoned);
                if online {
                    bump(&mut counts.abandoned_online);
                }
            }
            Fact::Tagged { name, after_resolved } => {
                self.tags.add(name, &[1]);
                if name == COMPLAINT && after_resolved {
                    bump(&mut counts.complaints_resolved);
                }
            }
            _ => {}
        }
    }

    fn merge(&mut self, other: &Prevention) {
        self.counts.merge(&other.counts);
        self.tags.merge(&other.tags);
        self.abandon_wait.merge(&other.abandon_wait);
    }

    fn visit(&mut self, tape: &mut dyn Tape) {
        self.counts.visit(tape);
        self.tags.visit(tape);
        self.abandon_wait.visit(tape);
    }

    fn write_members(&self, part: Part, w: &mut Writer) {
        match part {
            Part::Counters => self.counts.write_member(w, "prevention"),
            Part::Details => {
                if !self.tags.is_empty() {
                    w.key("tags");
                    self.tags.write(w);
                }
                if self.abandon_wait != Sketch::default() {
                    w.key("abandonWait");
                    self.abandon_wait.write(w);
                }
            }
            Part::Histograms => {}
        }
    }

    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        each("prevention", &self.counts.values());
    }

    fn each_sketch(&self, each: &mut dyn FnMut(&str, &Sketch)) {
        each("abandonWait", &self.abandon_wait);
    }

    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, mode: ReadMode) -> Result<bool, Error> {
        let at = path.key(key);
        match key {
            "prevention" => self.counts = PreventionCounts::read(r, &at, mode.signed)?,
            "tags" => self.tags = NamedCounts::read(r, &at, mode.limited)?,
            "abandonWait" => self.abandon_wait = Sketch::read(r, &at)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn privatize(&mut self, noise: &mut Noiser) {
        self.tags = NamedCounts::default();
        self.abandon_wait = Sketch::default();
        noise.counters(&mut self.counts.counts_mut(), &CAPS);
    }

    fn write_kpis(&self, base: &Base, w: &mut Writer) {
        section(w, "prevention", |w| {
            self.write_ratios(base.chats_started, base.online_chats(), w);
            distribution(w, "abandonWait", &self.abandon_wait);
            raw_counts(w, PreventionCounts::NAMES, &self.counts.values(), &[]);
        });
    }
}

impl Prevention {
    /// Writes the members of the KPI object's `prevention`; `abandonmentRateOnline`
    /// is over the `online_chats` started while chat was online.
    fn write_ratios(&self, chats_started: i64, online_chats: i64, w: &mut Writer) {
        let c = &self.counts;
        ratio(w, "abandonmentRate", c.abandoned, chats_started);
        ratio(w, "abandonmentRateOnline", c.abandoned_online, online_chats);
        ratio(w, "repeatContactRate", c.repeat_contacts, chats_started);
        ratio(w, "fcr", c.resolved_first_contact, c.outcome_known);
        ratio(w, "escalationRate", c.escalated, c.chats_ended);
        ratio(w, "transferRate", c.transferred, c.chats_ended);
        w.key("complaints");
        w.int(self.tags.get(COMPLAINT)[0]);
        w.key("complaintsResolved");
        w.int(c.complaints_resolved);
        w.key("tags");
        w.begin_object();
        for (name, [count]) in self.tags.iter() {
            w.key(name);
            w.int(*count);
        }
        w.end_object();
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed, kpis, ratio};

    fn answered_chat(start: f64, end_members: &str) -> [alloc::string::String; 3] {
        [
            event("chat_started", at(start), ""),
            event("agent_message", at(start + 1.0), ""),
            event("chat_ended", at(start + 2.0), end_members),
        ]
    }

    #[test]
    fn outcomes_abandonment_and_fcr_by_hand() {
        let mut e = engine(r#""tags":["complaint","refund"]"#);
        let mut events = alloc::vec::Vec::new();
        events.extend(answered_chat(0.0, r#""resolved":true"#)); // A: first-contact resolution
        events.extend(answered_chat(3.0, r#""resolved":true,"transferred":true"#)); // B
        events.extend(answered_chat(6.0, r#""resolved":false,"escalated":true"#)); // C
        events.extend(answered_chat(9.0, "")); // D: outcome unknown
        events.push(event("chat_started", at(12.0), "")); // E: ended without a reply
        events.push(event("chat_ended", at(13.0), ""));
        events.push(event("chat_started", at(14.0), "")); // F: replaced by G, no reply
        events.push(event("chat_started", at(15.0), "")); // G: times out, no reply
        events.push(event("page_view", at(100.0), r#""support":false"#));
        feed(&mut e, &events);
        let k = kpis(&e);
        assert_eq!(ratio(&k, "prevention", "abandonmentRate"), [3, 7]);
        assert_eq!(ratio(&k, "prevention", "fcr"), [1, 3]);
        assert_eq!(ratio(&k, "prevention", "escalationRate"), [1, 5]);
        assert_eq!(ratio(&k, "prevention", "transferRate"), [1, 5]);
        assert_eq!(k["productivity"]["openConversations"], 0, "timed out and replaced chats are closed");
    }

    #[test]
    fn abandon_wait_is_how_long_unanswered_chats_stayed_open() {
        let mut e = engine(r#""sessionTimeoutMinutes":30"#);
        feed(
            &mut e,
            &[
                // Answered: not abandoned, not in the wait.
                event("chat_started", at(0.0), ""),
                event("agent_message", at(0.5), ""),
                // Ended unanswered after 2 minutes; replaced unanswered after 4.
                event("chat_started", at(1.0), ""),
                event("chat_ended", at(3.0), ""),
                event("chat_started", at(4.0), ""),
                event("chat_started", at(8.0), ""),
            ],
        );
        // Left (the page closed) unanswered after 6 minutes.
        e.close_chat(at(14.0));
        let wait = &kpis(&e)["prevention"]["abandonWait"];
        assert_eq!(wait["count"], 3);
        assert_eq!(wait["mean"], 240, "(120 + 240 + 360) / 3 seconds");
        let report = e.take_report(crate::ReportId([1; 16])).encode();
        assert!(report.contains(r#""abandonWait":{"sumMs":720000,"#), "{report}");
        let restored = crate::Report::decode(report.as_bytes()).unwrap();
        assert_eq!(restored.prevention.abandon_wait.count(), 3);
    }

    #[test]
    fn a_chat_within_7_days_of_the_devices_last_one_is_a_repeat_contact() {
        const DAY: f64 = 24.0 * 60.0;
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("chat_started", at(0.0), ""),
                // Same device, three days later, and exactly 7 days after that: repeats.
                event("chat_started", at(3.0 * DAY), ""),
                event("chat_started", at(10.0 * DAY), ""),
                // More than 7 days after the last one: not a repeat.
                event("chat_started", at(17.0 * DAY + 1.0), ""),
                // Out of order: before the device's latest chat, not a repeat of it.
                event("chat_started", at(16.0 * DAY), ""),
            ],
        );
        assert_eq!(ratio(&kpis(&e), "prevention", "repeatContactRate"), [2, 5]);
    }

    #[test]
    fn complaints_belong_to_the_open_chat_else_the_last_ended_one() {
        let mut e = engine(r#""tags":["complaint","refund"]"#);
        feed(
            &mut e,
            &[
                // Complaint during a chat that ends resolved: resolved.
                event("chat_started", at(0.0), ""),
                event("tag", at(1.0), r#""name":"complaint""#),
                event("chat_ended", at(2.0), r#""resolved":true"#),
                // Complaint after that resolved chat, same session: resolved.
                event("tag", at(3.0), r#""name":"complaint""#),
                // A chat ending unresolved, then a complaint: not resolved.
                event("chat_started", at(4.0), ""),
                event("chat_ended", at(5.0), r#""resolved":false"#),
                event("tag", at(6.0), r#""name":"complaint""#),
                // New session, no chat: not resolved.
                event("tag", at(100.0), r#""name":"complaint""#),
                event("tag", at(101.0), r#""name":"refund""#),
            ],
        );
        let k = kpis(&e);
        assert_eq!(k["prevention"]["complaints"], 4);
        assert_eq!(k["prevention"]["complaintsResolved"], 2);
        assert_eq!(k["prevention"]["tags"]["refund"], 1);
    }
}
