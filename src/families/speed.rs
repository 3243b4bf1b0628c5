//! Speed: how fast agents answer and resolve.

use super::{distribution, ratio};
use crate::counters::counters;
use crate::json::Writer;
use crate::sketch::Sketch;

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

    /// Adds all of `other`.
    pub fn merge(&mut self, other: &Speed) {
        self.counts.merge(&other.counts);
        for (mine, theirs) in self.sketches_mut().into_iter().zip(other.sketches()) {
            mine.merge(theirs);
        }
    }

    /// Writes the members of the KPI object's `speed`; the `…Online` ones
    /// are over the `online_chats` started while chat was online.
    pub fn write_kpis(&self, chats_started: i64, online_chats: i64, service_level_seconds: u32, w: &mut Writer) {
        distribution(w, "firstResponse", &self.first_response);
        distribution(w, "firstResponseOnline", &self.first_response_online);
        ratio(w, "serviceLevel", self.counts.service_level_met, chats_started);
        ratio(w, "serviceLevelOnline", self.counts.service_level_met_online, online_chats);
        w.key("serviceLevelSeconds");
        w.int(i64::from(service_level_seconds));
        distribution(w, "response", &self.response);
        distribution(w, "resolution", &self.resolution);
        distribution(w, "handleTime", &self.handle);
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
