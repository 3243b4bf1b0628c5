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
    }
}

/// Aggregates behind the speed KPIs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Speed {
    /// Service-level count.
    pub counts: SpeedCounts,
    /// First `agent_message` − `chat_started`, per chat.
    pub first_response: Sketch,
    /// Every wait from the first unanswered customer message to the next agent message.
    pub response: Sketch,
    /// `chat_ended{resolved: true}` − `chat_started`.
    pub resolution: Sketch,
}

impl Speed {
    /// Adds all of `other`.
    pub fn merge(&mut self, other: &Speed) {
        self.counts.merge(&other.counts);
        self.first_response.merge(&other.first_response);
        self.response.merge(&other.response);
        self.resolution.merge(&other.resolution);
    }

    /// Writes the members of the KPI object's `speed`.
    pub fn write_kpis(&self, chats_started: i64, service_level_seconds: u32, w: &mut Writer) {
        distribution(w, "firstResponse", &self.first_response);
        ratio(w, "serviceLevel", self.counts.service_level_met, chats_started);
        w.key("serviceLevelSeconds");
        w.int(i64::from(service_level_seconds));
        distribution(w, "response", &self.response);
        distribution(w, "resolution", &self.resolution);
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
