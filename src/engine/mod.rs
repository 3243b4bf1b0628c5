//! The KPI engine: validated events in, KPIs and aggregate reports out.

mod state;
mod tracker;

pub use tracker::{Chat, Device, Session};

use crate::config::Config;
use crate::dp::RandomSource;
use crate::error::Error;
use crate::event::{Event, read_batch};
use crate::json::{Path, Writer};
use crate::kpis::kpis_json;
use crate::report::{Report, ReportId};
use crate::time::{LocalClock, ZoneRules};
use alloc::string::String;
use alloc::vec::Vec;
use tracker::Tracker;

/// Turns events into KPIs for one site, with zone rules `Z` for local time.
///
/// Every method that takes input validates it completely before changing
/// anything, so a rejected event or state leaves the engine as it was.
#[derive(Clone, Debug)]
pub struct Engine<Z> {
    tracker: Tracker,
    clock: LocalClock<Z>,
    /// Everything already handed out in reports.
    reported: Report,
}

/// What a batch did: how many events counted, and which were rejected why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Events applied.
    pub accepted: usize,
    /// Index in the batch and error of each rejected event.
    pub rejected: Vec<(usize, Error)>,
}

impl BatchOutcome {
    /// `{"accepted":n,"rejected":[{"index":i,"error":"field: reason"},…]}`.
    pub fn to_json(&self) -> String {
        let mut w = Writer::new();
        w.begin_object();
        w.key("accepted");
        w.int(self.accepted as i64);
        w.key("rejected");
        w.begin_array();
        for (index, error) in &self.rejected {
            w.begin_object();
            w.key("index");
            w.int(*index as i64);
            w.key("error");
            w.string(&error.message());
            w.end_object();
        }
        w.end_array();
        w.end_object();
        w.into_string()
    }
}

impl<Z: ZoneRules> Engine<Z> {
    /// An engine for `config`; fails if its time zone is unknown.
    /// With a `timeZoneTable`, the zone's rules are loaded only if an
    /// instant falls outside the table (and an unknown zone then counts as UTC).
    pub fn new(config: Config) -> Result<Self, Error> {
        let clock = match &config.time_zone_table {
            Some(table) => LocalClock::with_table(&config.time_zone, table.clone()),
            None => LocalClock::new(&config.time_zone, load_zone(&config.time_zone)?),
        };
        let reported = Report::empty(&config.site_key, config.service_level_seconds);
        Ok(Engine { tracker: Tracker::new(config), clock, reported })
    }

    /// An engine for a configuration given as JSON.
    pub fn from_config_json(json: &[u8]) -> Result<Self, Error> {
        Engine::new(Config::decode(json)?)
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.tracker.config
    }

    /// Applies one validated event.
    pub fn track(&mut self, event: &Event) {
        let local = self.clock.local(event.ts);
        self.tracker.apply(event, local);
    }

    /// Decodes, validates and applies one event given as JSON.
    pub fn track_json(&mut self, json: &[u8]) -> Result<(), Error> {
        let event = Event::decode(json, self.config())?;
        self.track(&event);
        Ok(())
    }

    /// Applies the valid events of a JSON array and lists the invalid ones.
    ///
    /// Fails as a whole, applying nothing, when the text is not a JSON array.
    pub fn track_batch_json(&mut self, json: &[u8]) -> Result<BatchOutcome, Error> {
        let mut events = Vec::new();
        let mut outcome = BatchOutcome::default();
        read_batch(
            json,
            self.config(),
            |event| events.push(event),
            |index, error| outcome.rejected.push((index, error)),
        )?;
        outcome.accepted = events.len();
        for event in &events {
            self.track(event);
        }
        Ok(outcome)
    }

    /// The visitor left (the page closed) at `ts`: the open chat, if any,
    /// closes without a `chat_ended` — abandoned when no agent replied.
    pub fn close_chat(&mut self, ts: i64) {
        self.tracker.close_chat(ts);
    }

    /// True if `ts` is inside the configured opening hours (always, when none are configured).
    pub fn in_opening_hours(&mut self, ts: i64) -> bool {
        let local = self.clock.local(ts);
        self.tracker.config.in_opening_hours(local)
    }

    /// Everything tracked so far, reported or not.
    pub fn totals(&self) -> Report {
        let mut totals = self.reported.clone();
        // Both halves share the engine's site and threshold, so merging cannot fail.
        let _ = totals.merge(&self.tracker.pending);
        totals
    }

    /// The KPI object for everything tracked so far, as JSON.
    pub fn kpis_json(&self) -> String {
        kpis_json(&self.totals())
    }

    /// The exact report of everything since the last one, marked with `id`
    /// (for sending, see [`Engine::take_outgoing_report`]).
    pub fn take_report(&mut self, id: ReportId) -> Report {
        let config = &self.tracker.config;
        let empty = Report::empty(&config.site_key, config.service_level_seconds);
        let mut report = core::mem::replace(&mut self.tracker.pending, empty);
        let _ = self.reported.merge(&report);
        report.set_id(Some(id));
        report
    }

    /// The report to send: [`Engine::take_report`], made differentially
    /// private with noise from `random` when the configuration sets `dpEpsilon`.
    pub fn take_outgoing_report(&mut self, id: ReportId, random: &mut dyn RandomSource) -> Report {
        let epsilon = self.tracker.config.dp_epsilon_milli;
        let mut report = self.take_report(id);
        if let Some(epsilon_milli) = epsilon {
            crate::dp::privatize(&mut report, epsilon_milli, random);
        }
        report
    }

    /// Sessions, device memory and unreported counts as JSON, for [`Engine::restore`].
    pub fn save_state(&self) -> String {
        state::encode(&self.tracker, &self.reported)
    }

    /// An engine for `config` that continues from a saved state.
    pub fn restore(config: Config, saved: &[u8]) -> Result<Self, Error> {
        let mut engine = Engine::new(config)?;
        let saved = state::decode(saved, engine.config())?;
        engine.tracker.device = saved.device;
        engine.tracker.session = saved.session;
        engine.tracker.pending = saved.pending;
        engine.reported = saved.reported;
        Ok(engine)
    }
}

fn load_zone<Z: ZoneRules>(name: &str) -> Result<Z, Error> {
    Z::load(name).ok_or_else(|| {
        let mut detail = String::from("\"");
        detail.push_str(name);
        detail.push_str("\" is not a known IANA time zone");
        Error::invalid_because(&Path::root("config").key("timeZone"), detail)
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{at, engine, event, feed};
    use crate::{Config, NativeEngine, ReportId};
    use alloc::string::String;
    use alloc::vec::Vec;

    fn day_of_events() -> Vec<String> {
        alloc::vec![
            event("availability", at(0.0), r#""online":true"#),
            event("page_view", at(0.0), r#""support":true"#),
            event("chat_button_impression", at(0.2), ""),
            event("chat_started", at(1.0), ""),
            event("agent_message", at(1.5), ""),
            event("page_view", at(3.0), r#""support":false"#),
            event("customer_message", at(4.0), ""),
            event("conversion", at(9.0), r#""goal":"purchase","value":20"#),
            event("agent_message", at(12.0), ""),
            event("page_view", at(200.0), r#""support":true"#),
        ]
    }

    #[test]
    fn rejected_events_leave_the_engine_unchanged() {
        let mut e = engine(r#""goals":["purchase"]"#);
        feed(&mut e, &day_of_events()[..4]);
        let before = e.save_state();
        for bad in
            [r#"{"type":"agent_message","ts":"soon"}"#, r#"{"type":"conversion","ts":1795392000000,"goal":"x"}"#, "{"]
        {
            assert!(e.track_json(bad.as_bytes()).is_err());
            assert_eq!(e.save_state(), before);
        }
        assert!(e.track_batch_json(b"[{\"type\":\"chat_open\",\"ts\":1795392000000},").is_err());
        assert_eq!(e.save_state(), before);
    }

    #[test]
    fn reports_cover_what_happened_since_the_last_one() {
        let events = day_of_events();
        let mut e = engine(r#""goals":["purchase"]"#);
        feed(&mut e, &events[..5]);
        let first = e.take_report(ReportId([1; 16]));
        feed(&mut e, &events[5..]);
        let second = e.take_report(ReportId([2; 16]));
        let third = e.take_report(ReportId([3; 16]));
        assert_eq!(first.engagement.page_views, 1);
        assert_eq!(second.engagement.page_views, 2);
        assert!(third.is_empty());
        assert_eq!(third.id(), Some(ReportId([3; 16])));
        let mut merged = first.clone();
        merged.merge(&second).unwrap();
        assert_eq!(crate::kpis_json(&merged), e.kpis_json());
        assert_eq!(e.totals().engagement.page_views, 3);
    }

    #[test]
    fn outgoing_reports_are_noised_only_when_configured() {
        use crate::dp::laplace::tests::SplitMix;
        let events = day_of_events();
        let mut exact = engine(r#""goals":["purchase"]"#);
        feed(&mut exact, &events);
        let sent = exact.take_outgoing_report(ReportId([1; 16]), &mut SplitMix(1));
        assert_eq!((sent.noise(), sent.engagement.page_views), (None, 3));

        let mut private = engine(r#""goals":["purchase"],"dpEpsilon":1"#);
        feed(&mut private, &events);
        let sent = private.take_outgoing_report(ReportId([1; 16]), &mut SplitMix(1));
        assert_eq!(sent.noise(), Some(crate::dp::Noise::of_one_report(1000)));
        assert!(sent.contribution.goals.is_empty());
        assert_eq!(private.totals().engagement.page_views, 3, "the device keeps its exact counts");
    }

    #[test]
    fn restored_state_continues_the_session_and_attribution() {
        let events = day_of_events();
        let mut whole = engine(r#""goals":["purchase"]"#);
        feed(&mut whole, &events);

        let mut page = engine(r#""goals":["purchase"]"#);
        let mut reports = Vec::new();
        for chunk in events.chunks(3) {
            feed(&mut page, chunk);
            reports.push(page.take_report(ReportId([7; 16])));
            let saved = page.save_state();
            page = NativeEngine::restore(page.config().clone(), saved.as_bytes()).unwrap();
        }
        assert_eq!(page.kpis_json(), whole.kpis_json());
        assert_eq!(page.totals().engagement.sessions, 2);
    }

    #[test]
    fn restore_checks_the_state_against_the_config() {
        let mut e = engine("");
        feed(&mut e, &[event("page_view", at(0.0), r#""support":true"#)]);
        let saved = e.save_state();
        let mut other_site = e.config().clone();
        other_site.site_key = String::from("other");
        let error = NativeEngine::restore(other_site, saved.as_bytes()).unwrap_err();
        assert_eq!(error.message(), "state: was saved for another siteKey");
        let error = NativeEngine::restore(e.config().clone(), b"{\"v\":1}").unwrap_err();
        assert_eq!(error.message(), "state: must be an array, not an object");
        let error = NativeEngine::restore(e.config().clone(), b"[1]").unwrap_err();
        assert_eq!(error.message(), "state[0]: is out of range");
        let (version, rest) = saved[1..].split_once(',').unwrap();
        let version: i64 = version.parse().unwrap();
        let (format, layout) = (version >> 32, version & 0xffff_ffff);
        for (older, why) in [
            ((format - 1) << 32 | layout, "an older format"),
            (format << 32 | (layout ^ 1), "another report layout (a counter added, removed or moved)"),
        ] {
            let text = alloc::format!("[{older},{rest}");
            let error = NativeEngine::restore(e.config().clone(), text.as_bytes()).unwrap_err();
            assert_eq!(error.message(), "state[0]: is out of range", "a state of {why} is refused");
        }
        let cut = alloc::format!("[{version},1");
        let error = NativeEngine::restore(e.config().clone(), cut.as_bytes()).unwrap_err();
        let at = cut.len();
        assert_eq!(error.message(), alloc::format!("state: invalid JSON (unexpected end of input at byte {at})"));
        let truncated = &saved[..saved.len() / 2];
        assert!(NativeEngine::restore(e.config().clone(), truncated.as_bytes()).is_err());
    }

    #[test]
    fn restore_refuses_a_state_whose_reports_the_collector_would_refuse() {
        // Found by fuzzing (fuzz/regressions/engine_state/). The committed
        // files have the state layout of their day, so the cases are the same
        // pending reports written into a fresh engine's state of today's
        // layout (a new counter does not make them stale); the files
        // themselves must still be refused, whatever the layout.
        let config = Config::decode(br#"{"siteKey":"fuzz","serviceLevelSeconds":60}"#).unwrap();
        let fresh = NativeEngine::new(config.clone()).unwrap().save_state();
        let untouched = "\"fuzz\",60,0,0,";
        assert!(fresh.contains(untouched), "a fresh state's pending report has no period and no counts: {fresh}");
        let pending = |edit: &str| fresh.replacen(untouched, &alloc::format!("\"fuzz\",60,{edit},"), 1);
        let cases = [
            (pending("1,1795395600000,1795392000000,0"), "pending.period.to: must be after period.from"),
            (
                pending("1,1795388400001,1795388400002,0"),
                "pending.period.from: must be a whole hour (ms since the epoch) between 2000-01-01 and 2100-01-01",
            ),
            (pending("0,5"), "pending.period: is required"),
        ];
        for (saved, message) in cases {
            let error = NativeEngine::restore(config.clone(), saved.as_bytes()).unwrap_err();
            assert_eq!(error.message(), message);
        }
        let found = [
            include_str!("../../fuzz/regressions/engine_state/period-reversed.json"),
            include_str!("../../fuzz/regressions/engine_state/period-not-whole-hours.json"),
            include_str!("../../fuzz/regressions/engine_state/counts-without-period.json"),
        ];
        for saved in found {
            assert!(NativeEngine::restore(config.clone(), saved.trim().as_bytes()).is_err(), "{saved}");
        }
    }

    #[test]
    fn unknown_time_zones_are_refused() {
        let error = NativeEngine::from_config_json(br#"{"siteKey":"a","timeZone":"Mars/Olympus"}"#).unwrap_err();
        assert_eq!(error.message(), "timeZone: \"Mars/Olympus\" is not a known IANA time zone");
    }

    #[test]
    fn leaving_with_an_open_chat_closes_it() {
        let mut e = engine("");
        feed(
            &mut e,
            &[
                event("chat_started", at(0.0), ""),
                event("chat_started", at(1.0), ""),
                event("agent_message", at(2.0), ""),
            ],
        );
        e.take_report(ReportId([1; 16]));
        e.close_chat(at(3.0));
        let report = e.take_report(ReportId([2; 16]));
        assert_eq!(report.productivity.chats_closed, 1);
        assert_eq!(report.prevention.counts.abandoned, 0, "the open chat was answered");
        assert!(report.period().is_some(), "a report with counts has a period");
        let mut unanswered = engine("");
        feed(&mut unanswered, &[event("chat_started", at(0.0), "")]);
        unanswered.close_chat(at(5.0));
        unanswered.close_chat(at(6.0));
        let kpis = crate::testing::kpis(&unanswered);
        assert_eq!(crate::testing::ratio(&kpis, "prevention", "abandonmentRate"), [1, 1]);
        assert_eq!(kpis["productivity"]["openConversations"], 0);
        assert_eq!(kpis["prevention"]["escalationRate"]["den"], 0, "not a chat ended");
    }

    #[test]
    fn opening_hours_in_the_site_time_zone() {
        let mut e = engine(r#""timeZone":"Europe/Amsterdam","openingHours":{"mon":[["09:00","17:30"]]}"#);
        assert!(!e.in_opening_hours(at(7.0 * 60.0 + 59.0)), "08:59 local");
        assert!(e.in_opening_hours(at(8.0 * 60.0)), "09:00 local");
        assert!(!e.in_opening_hours(at(16.0 * 60.0 + 30.0)), "17:30 local is the end");
        assert!(engine("").in_opening_hours(at(3.0 * 60.0)), "no opening hours: always open");
    }

    #[test]
    fn a_time_zone_table_replaces_the_zone_rules_within_its_span() {
        // Amsterdam's summer offset, claimed by a table for the test's whole day.
        let mut e = engine(
            r#""timeZone":"Europe/Amsterdam","timeZoneTable":{"until":1795478400000,"offsets":[[1795392000000,120]]},"openingHours":{"mon":[["10:00","11:00"]]}"#,
        );
        assert!(e.in_opening_hours(at(8.0 * 60.0)), "08:00 UTC is 10:00 with the table's +2:00");
        assert!(!e.in_opening_hours(at(9.0 * 60.0)));
        assert!(e.in_opening_hours(at(24.0 * 60.0 * 7.0 + 9.0 * 60.0)), "a week later the zone's own +1:00 applies");
    }

    #[test]
    fn batch_outcome_as_json() {
        let mut e = engine("");
        let outcome = e.track_batch_json(br#"[{"type":"chat_open","ts":1795392000000},{"type":"chat_open"}]"#).unwrap();
        assert_eq!(outcome.to_json(), r#"{"accepted":1,"rejected":[{"index":1,"error":"ts: is required"}]}"#);
    }
}
