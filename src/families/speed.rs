//! Speed: how fast agents answer and resolve.

use super::{Base, Fact, Family, Part, ReadMode, Rules, distribution, ratio, raw_counts, section};
use crate::counters::{bump, caps_sum, counters};
use crate::error::Error;
use crate::json::{Path, Reader, Writer};
use crate::noise::Noiser;
use crate::sketch::Sketch;
use crate::tape::Tape;

/// Per-report DP caps of the counters, in report order.
pub const CAPS: [i64; 2] = [1, 1];

counters! {
    /// Counts behind the service level.
    SpeedCounts {
        /// Chats whose first response came within the service-level threshold (inclusive).
        service_level_met,
        /// Of those, chats started while chat was online.
        service_level_met_online,
    }
}

/// Aggregates behind the speed KPIs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Speed {
    /// Service-level count.
    pub counts: SpeedCounts,
    /// First `agent_message` − `chat_started`, per chat.
    pub first_response: Sketch,
    /// The same, of chats started while chat was online.
    pub first_response_online: Sketch,
    /// Every wait from the first unanswered customer message to the next agent message.
    pub response: Sketch,
    /// `chat_ended{resolved: true}` − `chat_started`.
    pub resolution: Sketch,
    /// The chat's close (ended, timed out, replaced or left) − `chat_started`, per chat.
    pub handle: Sketch,
}

/// The members of the KPI object's `speed.counts` after the counters: chats
/// with a first response, of all chats and of those started online.
pub const ANSWERED_COUNTS: [&str; 2] = ["answeredChats", "answeredChatsOnline"];

/// The report members of the sketches, in the order of [`Speed::sketches`].
pub const SKETCHES: [&str; 5] = ["firstResponse", "response", "resolution", "firstResponseOnline", "handleTime"];

impl Speed {
    /// The sketches in the order of [`SKETCHES`].
    pub fn sketches(&self) -> [&Sketch; 5] {
        [&self.first_response, &self.response, &self.resolution, &self.first_response_online, &self.handle]
    }

    /// The sketches in the order of [`SKETCHES`], for updating.
    pub fn sketches_mut(&mut self) -> [&mut Sketch; 5] {
        [
            &mut self.first_response,
            &mut self.response,
            &mut self.resolution,
            &mut self.first_response_online,
            &mut self.handle,
        ]
    }

    /// Writes the members of the KPI object's `speed`; the `…Online` ones
    /// are over the chats started while chat was online.
    fn write_section(&self, base: &Base, w: &mut Writer) {
        let (chats_started, online_chats) = (base.chats_started, base.online_chats());
        distribution(w, "firstResponse", &self.first_response);
        distribution(w, "firstResponseOnline", &self.first_response_online);
        ratio(w, "serviceLevel", self.counts.service_level_met, chats_started);
        ratio(w, "serviceLevelOnline", self.counts.service_level_met_online, online_chats);
        w.key("serviceLevelSeconds");
        w.int(i64::from(base.service_level_seconds));
        distribution(w, "response", &self.response);
        distribution(w, "resolution", &self.resolution);
        distribution(w, "handleTime", &self.handle);
        let answered = [
            (ANSWERED_COUNTS[0], self.first_response.count()),
            (ANSWERED_COUNTS[1], self.first_response_online.count()),
        ];
        raw_counts(w, SpeedCounts::NAMES, &self.counts.values(), &answered);
    }
}

/// The service-level rule: a chat meets it when its first response comes
/// within the threshold (inclusive), and every chat started is in the
/// denominator (answered or not).
impl Family for Speed {
    const SENSITIVITY: i64 = caps_sum(&CAPS);

    fn apply(&mut self, fact: &Fact, rules: &Rules) {
        match *fact {
            Fact::Replied { waited_ms } => self.response.record(waited_ms),
            Fact::ChatAnswered { after_ms, online } => {
                self.first_response.record(after_ms);
                let met = after_ms <= i64::from(rules.service_level_seconds) * 1000;
                if met {
                    bump(&mut self.counts.service_level_met);
                }
                if online {
                    self.first_response_online.record(after_ms);
                    if met {
                        bump(&mut self.counts.service_level_met_online);
                    }
                }
            }
            Fact::ChatEnded { outcome, after_ms, .. } if outcome.resolved == Some(true) => {
                self.resolution.record(after_ms)
            }
            Fact::ChatClosed { after_ms, .. } => self.handle.record(after_ms),
            _ => {}
        }
    }

    fn merge(&mut self, other: &Speed) {
        self.counts.merge(&other.counts);
        for (mine, theirs) in self.sketches_mut().into_iter().zip(other.sketches()) {
            mine.merge(theirs);
        }
    }

    fn visit(&mut self, tape: &mut dyn Tape) {
        self.counts.visit(tape);
        for sketch in self.sketches_mut() {
            sketch.visit(tape);
        }
    }

    fn write_members(&self, part: Part, w: &mut Writer) {
        match part {
            Part::Counters => self.counts.write_member(w, "speed"),
            Part::Details => {
                for (key, sketch) in SKETCHES.into_iter().zip(self.sketches()) {
                    if *sketch != Sketch::default() {
                        w.key(key);
                        sketch.write(w);
                    }
                }
            }
            Part::Histograms => {}
        }
    }

    fn each_counts(&self, each: &mut dyn FnMut(&str, &[i64])) {
        each("speed", &self.counts.values());
    }

    fn each_sketch(&self, each: &mut dyn FnMut(&str, &Sketch)) {
        for (key, sketch) in SKETCHES.into_iter().zip(self.sketches()) {
            each(key, sketch);
        }
    }

    fn read_member(&mut self, key: &str, r: &mut Reader, path: &Path, mode: ReadMode) -> Result<bool, Error> {
        let at = path.key(key);
        if key == "speed" {
            self.counts = SpeedCounts::read(r, &at, mode.signed)?;
        } else if let Some(index) = SKETCHES.iter().position(|name| *name == key) {
            *self.sketches_mut()[index] = Sketch::read(r, &at)?;
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    fn privatize(&mut self, noise: &mut Noiser) {
        for sketch in self.sketches_mut() {
            *sketch = Sketch::default();
        }
        noise.counters(&mut self.counts.counts_mut(), &CAPS);
    }

    fn write_kpis(&self, base: &Base, w: &mut Writer) {
        section(w, "speed", |w| self.write_section(base, w));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{assert_close, at, engine, event, feed, kpis, ratio};

    fn seconds(s: f64) -> i64 {
        at(s / 60.0)
    }

    #[test]
    fn first_response_response_and_resolution_by_hand() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                // Chat 1: first response after 30 s; a second wait from 40 s to 100 s.
                event("chat_started", seconds(0.0), ""),
                event("agent_message", seconds(30.0), ""),
                event("customer_message", seconds(40.0), ""),
                event("customer_message", seconds(50.0), ""),
                event("agent_message", seconds(100.0), ""),
                event("agent_message", seconds(110.0), ""),
                // Chat 2: first response after 90 s, resolved after 200 s.
                event("chat_started", seconds(1000.0), ""),
                event("agent_message", seconds(1090.0), ""),
                event("customer_message", seconds(1100.0), ""),
                event("chat_ended", seconds(1200.0), r#""resolved":true"#),
                // Chat 3: first response at exactly the 60 s threshold.
                event("chat_started", seconds(1300.0), ""),
                event("agent_message", seconds(1360.0), ""),
            ],
        );
        let k = kpis(&e);
        let first = &k["speed"]["firstResponse"];
        assert_eq!(first["count"], 3);
        assert_eq!(first["mean"], 60);
        assert_close(&first["p50"], 60.0);
        assert_close(&first["p90"], 90.0);
        assert_close(&first["p99"], 90.0);
        assert_eq!(ratio(&k, "speed", "serviceLevel"), [2, 3], "a response at exactly T counts as within T");
        assert_eq!(k["speed"]["serviceLevelSeconds"], 60);
        let response = &k["speed"]["response"];
        assert_eq!(response["count"], 4, "30, 60, 90 and 60 s; the unanswered wait counts not");
        assert_eq!(response["mean"], 60);
        assert_eq!(k["speed"]["resolution"]["count"], 1);
        assert_eq!(k["speed"]["resolution"]["mean"], 200);
    }

    #[test]
    fn handle_time_runs_to_every_kind_of_close() {
        let mut e = engine(r#""sessionTimeoutMinutes":30"#);
        feed(
            &mut e,
            &[
                // Ended after 100 s.
                event("chat_started", seconds(0.0), ""),
                event("chat_ended", seconds(100.0), ""),
                // Replaced by the next chat after 50 s.
                event("chat_started", seconds(200.0), ""),
                event("chat_started", seconds(250.0), ""),
                // Times out: its session's last event is 60 s after the start.
                event("customer_message", seconds(310.0), ""),
                event("page_view", seconds(310.0 + 31.0 * 60.0), r#""support":false"#),
                // Left (the page closed) after 20 s.
                event("chat_started", seconds(4000.0), ""),
            ],
        );
        e.close_chat(seconds(4020.0));
        let handle = &kpis(&e)["speed"]["handleTime"];
        assert_eq!(handle["count"], 4);
        assert_eq!(handle["mean"], 57.5, "(100 + 50 + 60 + 20) / 4");
        assert_close(&handle["p50"], 50.0);
        assert_close(&handle["p99"], 100.0);
    }

    #[test]
    fn online_figures_leave_offline_messages_out() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                // Offline: answered after 5 min, abandoned.
                event("chat_started", seconds(0.0), ""),
                event("agent_message", seconds(300.0), ""),
                event("chat_started", seconds(400.0), ""),
                event("chat_ended", seconds(410.0), ""),
                event("availability", seconds(500.0), r#""online":true"#),
                // Online: answered in 10 s; answered in 90 s; abandoned.
                event("chat_started", seconds(600.0), ""),
                event("agent_message", seconds(610.0), ""),
                event("chat_started", seconds(700.0), ""),
                event("agent_message", seconds(790.0), ""),
                event("chat_started", seconds(800.0), ""),
                event("chat_ended", seconds(820.0), ""),
            ],
        );
        let k = kpis(&e);
        assert_eq!(ratio(&k, "availability", "offlineMessages"), [2, 5]);
        assert_eq!(ratio(&k, "speed", "serviceLevel"), [1, 5]);
        assert_eq!(ratio(&k, "speed", "serviceLevelOnline"), [1, 3]);
        assert_eq!(ratio(&k, "prevention", "abandonmentRate"), [2, 5]);
        assert_eq!(ratio(&k, "prevention", "abandonmentRateOnline"), [1, 3]);
        assert_eq!(k["speed"]["firstResponse"]["count"], 3);
        assert_eq!(k["speed"]["firstResponseOnline"]["count"], 2);
        assert_eq!(k["speed"]["firstResponseOnline"]["mean"], 50);
    }

    #[test]
    fn empty_distributions_have_null_statistics() {
        let k = kpis(&engine(""));
        let first = &k["speed"]["firstResponse"];
        assert_eq!(first["count"], 0);
        for stat in ["mean", "p50", "p90", "p99"] {
            assert!(first[stat].is_null(), "{stat}");
        }
        assert!(k["speed"]["serviceLevel"]["value"].is_null());
    }

    #[test]
    fn out_of_order_replies_count_as_immediate() {
        let mut e = engine(r#""serviceLevelSeconds":10"#);
        feed(&mut e, &[event("chat_started", seconds(100.0), ""), event("agent_message", seconds(90.0), "")]);
        let k = kpis(&e);
        assert_eq!(k["speed"]["firstResponse"]["mean"], 0);
        assert_eq!(ratio(&k, "speed", "serviceLevel"), [1, 1]);
    }
}
